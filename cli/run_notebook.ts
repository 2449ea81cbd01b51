/**
 * `deno task notebook`: executes a notebook headlessly on the repository's Deno kernel and
 * writes the executed copy (every output kept), printing progress as it goes.
 *
 * Usage: deno task notebook notebooks/x.ipynb [--out results/notebooks/x.ipynb]
 *        [--env KEY=VALUE ...] [--timeout SEC per cell, default 1800]
 *
 * Exit code 0 when every cell ran, 1 when a cell failed (the executed notebook still shows the
 * error), 2 for usage or setup problems (e.g. jupyter_client missing).
 *
 * @module
 */
import { NotebookRunError, NotebookSetupError, runNotebook } from "../lib/notebook/run/mod.ts";
import { guardCli, numberOption, parseCliOrHelp, UsageError } from "./cli_main.ts";

const USAGE = `Usage: deno task notebook notebooks/x.ipynb [--out results/notebooks/x.ipynb]
         [--env KEY=VALUE ...] [--timeout SEC]

  --out      where the executed notebook goes (default results/notebooks/<name>.ipynb)
  --env      KEY=VALUE for the kernel's environment (repeatable)
  --timeout  seconds allowed per cell (default 1800)
Exit code 0 when every cell ran, 1 when a cell failed, 2 for usage or setup problems.`;

guardCli("notebook", USAGE);
const { values, positionals } = parseCliOrHelp(Deno.args, {
  out: { type: "string" },
  env: { type: "string", multiple: true, default: [] },
  timeout: { type: "string", default: "1800" },
}, { minPositionals: 1, maxPositionals: 1, positionalsHint: "one notebook path" });

const env: Record<string, string> = {};
for (const item of values.env) {
  const eq = item.indexOf("=");
  if (eq <= 0) {
    throw new UsageError(`--env '${item}': expected KEY=VALUE (e.g. --env ARCFACE_PROFILE=quick)`);
  }
  env[item.slice(0, eq)] = item.slice(eq + 1);
}
const timeoutSec = numberOption("timeout", values.timeout, { min: 0, exclusiveMin: true })!;

try {
  const result = await runNotebook(positionals[0], {
    out: values.out,
    env,
    timeoutSec,
    onLine: (line) => console.error(line),
  });
  if (result.ok) {
    console.log(`notebook: ok in ${result.seconds.toFixed(1)} s; wrote ${result.out}`);
  } else {
    console.error(`notebook: FAILED (${result.message}); executed notebook: ${result.out}`);
    Deno.exit(1);
  }
} catch (e) {
  if (e instanceof NotebookSetupError || e instanceof NotebookRunError) {
    console.error(`notebook: ${e.message}`);
    Deno.exit(2);
  }
  throw e;
}
