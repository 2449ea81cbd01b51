/**
 * Executes a notebook headlessly on the repository's Deno kernel through
 * `lib/notebook/run/run_notebook.py` (jupyter_client), which keeps collecting each cell's outputs until an
 * end-of-cell marker comes back (the Deno kernel can report "idle" before a cell's outputs).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { checkJupyter } from "./check_jupyter.ts";
import { cellSyntaxError, codeCellSource, isGenericKernelError } from "./cell_syntax.ts";
import { NotebookRunError, NotebookSetupError } from "./errors.ts";
import { jupyterDir, runnerScript, SYSTEM_PYTHON } from "./paths.ts";
import { repoRoot } from "../../io/repo_root.ts";

/** Options of {@linkcode runNotebook}. */
export interface RunNotebookOptions {
  /** Executed notebook path; default `<repo>/results/notebooks/<notebook file name>`. */
  out?: string;
  /** Extra environment variables for the kernel (e.g. `{ ARCFACE_PROFILE: "quick" }`). */
  env?: Record<string, string>;
  /** Per-cell timeout in seconds (default 1800); a cell running longer is interrupted. */
  timeoutSec?: number;
  /** Receives each progress line (`cell N/M ...`, `[cell N] <stream output>`) as it comes. */
  onLine?: (line: string) => void;
}

/** What {@linkcode runNotebook} resolves to. */
export interface RunNotebookResult {
  /** Absolute path of the executed notebook (written even when a cell failed). */
  out: string;
  /** True when every code cell ran without error. */
  ok: boolean;
  /** The failing code cell's number (1-based, markdown cells not counted), or null. */
  failedCell: number | null;
  /** `notebook <path>: cell <N> failed: <ename>: <evalue>` on failure, else null. */
  message: string | null;
  /** Wall-clock seconds, kernel start and shutdown included. */
  seconds: number;
}

interface RunMetadata {
  status?: string;
  failed_cell?: number | null;
  message?: string | null;
}

const DEFAULT_TIMEOUT_SEC = 1800;
const TAIL_LINES = 20;

/**
 * Runs every code cell of the notebook at `path` in order on a fresh `deno` kernel (cwd: the
 * notebook's folder), writes the executed notebook to `options.out`, and resolves to what
 * happened. A failing, timed-out or kernel-killing cell resolves with `ok: false`; throws a
 * {@linkcode NotebookSetupError} when jupyter_client is missing and a
 * {@linkcode NotebookRunError} when the notebook or options are wrong or the runner crashed.
 */
export async function runNotebook(
  path: string,
  options: RunNotebookOptions = {},
): Promise<RunNotebookResult> {
  const input = resolve(path);
  if (!existsSync(input)) {
    throw new NotebookRunError(`notebook ${input} not found; check the path`);
  }
  const out = resolve(
    options.out ?? join(repoRoot(), "results", "notebooks", basename(input)),
  );
  if (out === input) {
    throw new NotebookRunError(
      `notebook ${input}: --out is the input notebook; write the executed copy elsewhere ` +
        "(default results/notebooks/)",
    );
  }
  const timeoutSec = options.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
  if (!(timeoutSec > 0)) {
    throw new NotebookRunError(`timeoutSec ${timeoutSec}: must be a positive number of seconds`);
  }
  const args = [runnerScript(), input, "--out", out, "--timeout", String(timeoutSec)];
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new NotebookRunError(
        `env key '${key}' is not a valid environment variable name (letters, digits, _)`,
      );
    }
    args.push("--env", `${key}=${value}`);
  }
  await checkJupyter();

  const started = performance.now();
  try {
    await Deno.remove(out);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const inherited = Deno.env.get("JUPYTER_PATH");
  const child = new Deno.Command(SYSTEM_PYTHON, {
    args,
    cwd: repoRoot(),
    env: { JUPYTER_PATH: inherited ? `${jupyterDir()}:${inherited}` : jupyterDir() },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line);
  };
  const [status] = await Promise.all([
    child.status,
    forEachLine(child.stdout, onLine),
    forEachLine(child.stderr, onLine),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const context = tail.length ? `; its last lines:\n${tail.join("\n")}` : "";

  if (status.code === 2) {
    throw new NotebookSetupError(
      `notebook ${input}: the runner refused to start (exit code 2)${context}`,
    );
  }
  const meta = await readRunMetadata(out);
  if ((status.code !== 0 && status.code !== 1) || meta === undefined) {
    throw new NotebookRunError(
      `notebook ${input}: the runner ${SYSTEM_PYTHON} lib/notebook/run/run_notebook.py ended with ` +
        `${status.signal ? `signal ${status.signal}` : `exit code ${status.code}`} without ` +
        `writing ${out}${context}`,
    );
  }
  const ok = status.code === 0 && meta.status === "ok";
  const failedCell = ok ? null : meta.failed_cell ?? null;
  let message = ok ? null : meta.message ?? `notebook ${input}: failed (see ${out})`;
  if (message !== null && failedCell !== null && isGenericKernelError(message)) {
    message = await explainGenericFailure(message, out, failedCell);
  }
  return { out, ok, failedCell, message, seconds };
}

/**
 * The Deno kernel reports a cell that does not parse as only "Execution failed": parse the
 * cell here and append the SyntaxError with its line (also to the executed notebook's metadata).
 */
async function explainGenericFailure(message: string, out: string, cell: number): Promise<string> {
  let nb;
  try {
    nb = JSON.parse(await Deno.readTextFile(out));
  } catch {
    return message;
  }
  const source = codeCellSource(nb, cell);
  const syntax = source === null ? null : await cellSyntaxError(source);
  if (syntax === null) return message;
  const better = `${message} (${syntax})`;
  try {
    nb.metadata.arcface_run.message = better;
    // The cell's own error output too, so the notebook (and its HTML report) shows it.
    const cellJson = nb.cells.filter((c: { cell_type?: string }) =>
      c.cell_type === "code"
    )[cell - 1];
    for (const o of cellJson?.outputs ?? []) {
      if (o.output_type === "error" && isGenericKernelError(String(o.evalue))) {
        o.evalue = `${o.evalue}: ${syntax}`;
        o.traceback = [...(o.traceback ?? []), syntax];
      }
    }
    await Deno.writeTextFile(out, JSON.stringify(nb, null, 1) + "\n");
  } catch {
    // The message is returned either way.
  }
  return better;
}

async function readRunMetadata(out: string): Promise<RunMetadata | undefined> {
  try {
    const nb = JSON.parse(await Deno.readTextFile(out));
    return nb?.metadata?.arcface_run ?? undefined;
  } catch {
    return undefined;
  }
}

async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  fn: (line: string) => void,
): Promise<void> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) fn(line);
  }
  if (buffer) fn(buffer);
}
