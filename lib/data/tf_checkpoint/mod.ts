/**
 * TensorFlow checkpoints (tensor bundles: `x.ckpt.index` + `x.ckpt.data-0000K-of-0000N`, and a
 * SavedModel's `variables/`): open (index + object graph only), read one tensor at a time with
 * its CRC checked, list variables by object path with optimizer slots classified, and write
 * checkpoints TensorFlow can read. See docs/tf_checkpoint.md.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./bundle_proto.ts";
export * from "./tensor_codec.ts";
export * from "./object_graph.ts";
export * from "./variables.ts";
export * from "./leveldb_table.ts";
export * from "./checkpoint_path.ts";
export * from "./checkpoint_reader.ts";
export * from "./checkpoint_listing.ts";
export * from "./checkpoint_writer.ts";
export * from "./object_graph_builder.ts";
