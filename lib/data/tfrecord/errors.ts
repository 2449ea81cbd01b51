/**
 * Typed errors of the TFRecord reader and writer.
 *
 * @module
 */

/** What went wrong with a TFRecord file. */
export type TFRecordErrorKind = "truncated" | "length-crc" | "data-crc" | "io" | "closed";

/**
 * A TFRecord file that does not read back (truncated, corrupted), or a writer misuse. The
 * message says what was wrong, where (file, record index, byte offset) and what to do.
 */
export class TFRecordError extends Error {
  override name = "TFRecordError";
  /**
   * @param message the full message
   * @param kind what went wrong
   * @param file the file
   * @param index 0-based index of the record in that file (-1 when not about one record)
   * @param offset byte offset of the record's header in that file (-1 when unknown)
   */
  constructor(
    message: string,
    readonly kind: TFRecordErrorKind,
    readonly file: string,
    readonly index = -1,
    readonly offset = -1,
  ) {
    super(message);
  }
}
