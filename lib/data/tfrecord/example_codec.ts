/**
 * tf.train.Example protobuf encode/decode, hand-written on the wire format:
 *
 * ```
 * Example  { Features features = 1; }
 * Features { map<string, Feature> feature = 1; }   // entries: { string key = 1; Feature value = 2; }
 * Feature  { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
 * BytesList { repeated bytes value = 1; }
 * FloatList { repeated float value = 1 [packed]; }
 * Int64List { repeated int64 value = 1 [packed]; }
 * ```
 *
 * Encoding writes packed floats and int64s (as TensorFlow does); decoding also accepts the
 * unpacked form and skips unknown fields. int64 values decode to a `number` when they are
 * safe integers (|v| <= 2^53 - 1) and to a `bigint` otherwise; negative values (10-byte
 * two's-complement varints) are handled both ways. A Feature with no list set decodes as an
 * empty bytes list.
 *
 * @module
 */
export * from "./example_types.ts";
export { encodeExample } from "./example_encoder.ts";
export { decodeExample, type DecodeExampleOptions } from "./example_decoder.ts";
