/**
 * Typed errors of the TensorFlow checkpoint (tensor bundle) reader and writer.
 *
 * @module
 */

/** What went wrong with a checkpoint. */
export type TfCheckpointErrorKind =
  | "not-found" // the prefix's files are not there
  | "missing-shard" // a data shard the index names is absent
  | "truncated" // a file ends before what the index / footer says
  | "crc" // a block or tensor checksum does not match
  | "compressed" // a table block is compressed (TensorFlow writes them uncompressed)
  | "format" // bytes that do not parse as the format says
  | "unsupported" // valid TensorFlow, not read here (sliced tensors, other dtypes)
  | "key" // no such tensor in the checkpoint
  | "write"; // a writer misuse (bad shape, dtype, data length)

/**
 * A checkpoint that cannot be read (missing, truncated, corrupted, unsupported) or written. The
 * message says what was wrong, where (file, key, byte offset) and what to do; `file` names the
 * file concerned.
 */
export class TfCheckpointError extends Error {
  override name = "TfCheckpointError";
  /**
   * @param message the full message
   * @param kind what went wrong
   * @param file the file concerned (the index, a shard, or the path given)
   */
  constructor(message: string, readonly kind: TfCheckpointErrorKind, readonly file: string) {
    super(message);
  }
}
