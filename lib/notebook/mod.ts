/**
 * What the narrative notebooks call: profiles (demo / paper / tiny), each section's work and
 * its tables and charts. Notebooks stay thin: a setup cell, then one call per cell.
 *
 * @module
 */
export * from "./research_log.ts";
export * from "./profiles.ts";
export * from "./progress.ts";
export * from "./baseline.ts";
export * from "./dataset.ts";
export * from "./training.ts";
export * from "./interpret.ts";
export * from "./compare.ts";
