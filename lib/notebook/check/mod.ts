/**
 * Notebook hygiene: extract code cells for `deno check` / `deno lint`; find committed outputs.
 *
 * @module
 */
export * from "./extract_cells.ts";
