/**
 * Typed errors of the converters (image tree / K-Face -> TFRecord, merge).
 *
 * @module
 */

/** A conversion that cannot go on: bad input tree, bad image, bad option, bad source. */
export class ConvertError extends Error {
  override name = "ConvertError";
  /**
   * @param message what was wrong, where, and what to do
   * @param file the file or folder concerned, when there is one
   */
  constructor(message: string, readonly file?: string) {
    super(message);
  }
}

/** One image file that could not be used (thrown per file; collected with skipBad). */
export class BadImageError extends ConvertError {
  override name = "BadImageError";
  /**
   * @param file the image file
   * @param reason why it cannot be used
   */
  constructor(file: string, readonly reason: string) {
    super(
      `${file}: ${reason}. Remove or fix the file, or pass --skip-bad (option skipBad) to skip ` +
        `such files and list them in the summary.`,
      file,
    );
  }
}

/** A file or folder left out of a conversion, and why. */
export interface SkippedFile {
  /** Path of the file or identity folder. */
  file: string;
  /** Why it was left out. */
  reason: string;
}
