/**
 * Dataset conversion: identity-per-folder image trees and K-Face selections to arcface-tf2
 * TFRecords (convert), and merging of several sources with label offsets (merge).
 *
 * @module
 */
export * from "./errors.ts";
export * from "./byte_order.ts";
export { mulberry32, seededShuffle } from "../../random/seeded_rng.ts";
export * from "./image_format.ts";
export * from "./image_source.ts";
export * from "./image_tree.ts";
export * from "./kface.ts";
export * from "./people_list.ts";
export * from "./labels_tsv.ts";
export * from "./image_record.ts";
export * from "./ordered_pool.ts";
export * from "./plan.ts";
export * from "./record_streams.ts";
export * from "./progress.ts";
export * from "./sharded_output.ts";
export * from "./source_spec.ts";
export * from "./write_conversion.ts";
export * from "./convert.ts";
export * from "./merge.ts";
export * from "./kface_info.ts";
export * from "./align_source.ts";
