/**
 * Data: TFRecord I/O and the arcface-tf2 schemas, dataset conversion and merging, and the
 * location of the shared data sets.
 *
 * @module
 */
export * from "./data_root.ts";
export * from "./tfrecord/mod.ts";
export * from "./convert/mod.ts";
export * from "./verification/mod.ts";
export * from "./align/mod.ts";
export * from "./pipeline/mod.ts";
