/**
 * What the narrative notebooks' cells call: the profile (demo / paper / tiny), then one call per
 * section (baseline, dataset, training, interpretation, comparison), each returning its numbers
 * and the tables and charts to show. Notebooks stay thin: a setup cell, then one call per cell.
 *
 * @module
 */
export * from "./research_log.ts";
export * from "./profiles.ts";
export * from "./baseline.ts";
export * from "./dataset.ts";
export * from "./training.ts";
export * from "./interpret.ts";
export * from "./compare.ts";
export * from "./explain.ts";
export * from "./log_differences.ts";
export * from "./pair_distances.ts";
export * from "./tfrecord_view.ts";
