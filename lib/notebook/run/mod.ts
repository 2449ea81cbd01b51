/**
 * Headless notebook execution on the repository's Deno kernel (`jupyter/kernels/deno`), with
 * every cell output collected: {@linkcode runNotebook}, {@linkcode checkJupyter}. Where the
 * runner's pieces live (`paths.ts`) is internal.
 *
 * @module
 */
export { NotebookRunError, NotebookSetupError } from "./errors.ts";
export { checkJupyter } from "./check_jupyter.ts";
export { runNotebook, type RunNotebookOptions, type RunNotebookResult } from "./run_notebook.ts";
