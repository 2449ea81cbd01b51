/**
 * Headless notebook execution on the repository's Deno kernel (`jupyter/kernels/deno`), with
 * every cell output collected: {@linkcode runNotebook}, {@linkcode checkJupyter}.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./paths.ts";
export * from "./check_jupyter.ts";
export * from "./run_notebook.ts";
