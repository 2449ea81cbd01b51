/**
 * What the narrative notebooks call: profiles (demo / paper / tiny), each section's work and
 * its tables and charts. Notebooks stay thin: a setup cell, then one call per cell.
 *
 * @module
 */
export * from "./cells/research_log.ts";
export * from "./cells/profiles.ts";
export * from "./display/progress.ts";
export * from "./cells/baseline.ts";
export * from "./cells/dataset.ts";
export * from "./cells/training.ts";
export * from "./cells/interpret.ts";
export * from "./cells/compare.ts";
