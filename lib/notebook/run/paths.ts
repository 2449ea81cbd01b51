/**
 * Where the notebook runner's pieces live under the repository root: the committed kernelspec
 * folder, the Python runner script and the Python that has jupyter_client.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../../io/repo_root.ts";

/** The Python with Debian's jupyter_client (the `python3` first on PATH may lack it). */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** The Debian package that provides jupyter_client for {@linkcode SYSTEM_PYTHON}. */
export const JUPYTER_CLIENT_PACKAGE = "python3-jupyter-client";

/** `<repo>/jupyter`: put it on JUPYTER_PATH to find the committed `deno` kernelspec. */
export function jupyterDir(): string {
  return join(repoRoot(), "jupyter");
}

/** `run_notebook.py` beside this file, the headless executor. */
export function runnerScript(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "run_notebook.py");
}
