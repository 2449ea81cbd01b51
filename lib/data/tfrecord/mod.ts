/**
 * TFRecord files (streaming reader and atomic buffered writer, CRC32C framing),
 * tf.train.Example encode/decode, and arcface-tf2's binary and path schemas.
 *
 * @module
 */
export * from "./crc32c.ts";
export * from "./errors.ts";
export * from "./tfrecord_writer.ts";
export * from "./tfrecord_reader.ts";
export * from "./example_codec.ts";
export * from "./arcface_schema.ts";
