/**
 * Checks that this machine can execute notebooks: {@linkcode SYSTEM_PYTHON} imports
 * jupyter_client and the repository's `deno` kernelspec is present.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { NotebookSetupError } from "./errors.ts";
import { JUPYTER_CLIENT_PACKAGE, jupyterDir, runnerScript, SYSTEM_PYTHON } from "./paths.ts";

const INSTALL_HINT =
  `install it with \`apt-get install -y --no-install-recommends ${JUPYTER_CLIENT_PACKAGE}\``;

/**
 * Resolves to jupyter_client's version when notebooks can run here; throws a
 * {@linkcode NotebookSetupError} saying what to install otherwise.
 */
export async function checkJupyter(): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(SYSTEM_PYTHON, {
      args: ["-c", "import jupyter_client; print(jupyter_client.__version__)"],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new NotebookSetupError(
        `${SYSTEM_PYTHON} not found: the notebook runner needs Debian's Python with jupyter_client; ${INSTALL_HINT}`,
      );
    }
    throw e;
  }
  if (!output.success) {
    const detail = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    throw new NotebookSetupError(
      `${SYSTEM_PYTHON} cannot import jupyter_client (${detail}); ${INSTALL_HINT}` +
        " (the python3 first on PATH is not used)",
    );
  }
  const kernelJson = join(jupyterDir(), "kernels", "deno", "kernel.json");
  if (!existsSync(kernelJson)) {
    throw new NotebookSetupError(
      `the repository's kernelspec ${kernelJson} is missing; restore it from git ` +
        "(git checkout -- jupyter/)",
    );
  }
  if (!existsSync(runnerScript())) {
    throw new NotebookSetupError(
      `the runner script ${runnerScript()} is missing; restore it from git (git checkout -- lib/notebook/run/)`,
    );
  }
  return new TextDecoder().decode(output.stdout).trim();
}
