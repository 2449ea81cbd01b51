/**
 * Types and errors shared by the tf.train.Example encoder and decoder.
 *
 * @module
 */
/** One feature: a list of byte strings, floats or int64s. */
export type Feature =
  | { kind: "bytes"; value: Uint8Array[] }
  | { kind: "float"; value: ArrayLike<number> }
  | { kind: "int64"; value: Array<number | bigint> };

/** A decoded feature (floats come back as a Float32Array). */
export type DecodedFeature =
  | { kind: "bytes"; value: Uint8Array[] }
  | { kind: "float"; value: Float32Array }
  | { kind: "int64"; value: Array<number | bigint> };

/** The features of an Example to encode, by name (encoded in iteration order). */
export type ExampleFeatures = Record<string, Feature> | Map<string, Feature>;

/** A protobuf that does not parse as a tf.train.Example. */
export class ExampleDecodeError extends Error {
  override name = "ExampleDecodeError";
  /**
   * @param message what was wrong
   * @param offset byte offset inside the serialized Example where it was noticed
   */
  constructor(message: string, readonly offset: number) {
    super(`tf.train.Example: ${message} (at byte ${offset} of the record)`);
  }
}

/** A value that cannot be encoded (int64 out of range, non-integer, ...). */
export class ExampleEncodeError extends Error {
  override name = "ExampleEncodeError";
}
