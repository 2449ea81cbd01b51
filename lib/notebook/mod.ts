/**
 * Everything notebooks, in five parts:
 *
 * - `cells/`: what the notebooks' cells call (profiles, baseline, dataset, training, interpret,
 *   compare). Notebooks import this file: `import * as nb from "../lib/notebook/mod.ts"`.
 * - `display/`: what cells show (plotly figures, HTML tables, image grids, progress lines).
 * - `run/`: headless execution on the repository's Deno kernel (`runNotebook`, `checkJupyter`,
 *   `run_notebook.py`); the kernelspec itself is `jupyter/` at the repository root.
 * - `check/`: code-cell extraction for `deno check` / `deno lint`, committed-output detection.
 * - `publish/`: executed notebooks -> self-contained HTML reports and their browser check.
 *
 * This file exports `cells/` and `display/` (what a notebook needs). `run/`, `check/` and
 * `publish/` start subprocesses or a browser; import their own `mod.ts`.
 *
 * @module
 */
export * from "./cells/mod.ts";
export * from "./display/mod.ts";
