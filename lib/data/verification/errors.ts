/**
 * Typed errors of the verification-set readers and writers. Each message says what was wrong,
 * where (file, line, pair or image index, byte offset) and what to do about it.
 *
 * @module
 */

/** A pairs file (LFW `pairs.txt` / `pairsDevTest.txt` layout) that does not parse. */
export class PairsFileError extends Error {
  override name = "PairsFileError";
  /**
   * @param message what was wrong and what to do
   * @param file the pairs file
   * @param line 1-based line number, 0 when the problem is not on one line (e.g. a count)
   */
  constructor(message: string, readonly file: string, readonly line: number) {
    super(`${file}${line > 0 ? `:${line}` : ""}: ${message}`);
  }
}

/** A pair names an image file that does not exist. */
export class MissingImageError extends Error {
  override name = "MissingImageError";
  /**
   * @param message the full message (first missing image, its line, how many more)
   * @param file the pairs file
   * @param line 1-based line of the first pair naming a missing image
   * @param path the first missing image's path
   * @param missing every missing path (deduplicated, in file order)
   */
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly path: string,
    readonly missing: string[],
  ) {
    super(message);
  }
}

/** A pickle stream that this reader cannot read (bad opcode, truncated, wrong structure). */
export class PickleError extends Error {
  override name = "PickleError";
  /**
   * @param message what was wrong and what to do
   * @param offset byte offset in the pickle stream where it was noticed (-1 when unknown)
   */
  constructor(message: string, readonly offset: number) {
    super(offset >= 0 ? `${message} (at byte offset ${offset})` : message);
  }
}

/** An opcode outside the subset that insightface `.bin` files use. */
export class UnsupportedOpcodeError extends PickleError {
  override name = "UnsupportedOpcodeError";
  /**
   * @param opcode the opcode byte
   * @param opname its pickletools name ("?" when it is not a pickle opcode at all)
   * @param offset byte offset of the opcode
   */
  constructor(readonly opcode: number, readonly opname: string, offset: number) {
    super(
      `unsupported pickle opcode ${opname} (0x${opcode.toString(16).padStart(2, "0")}): ` +
        "this reader handles the protocol 2-5 subset that insightface .bin files use " +
        "(lists/tuples of bytes or Python 2 str, bools, ints, numpy bool arrays); " +
        "re-save the file from Python with pickle.dump((bins, issame_list), f, protocol=4) " +
        "where bins is a list of bytes and issame_list a list of bool",
      offset,
    );
  }
}

/** A `.bin` whose content is not `(bins, issame_list)` with 2N images and N labels. */
export class BinFormatError extends Error {
  override name = "BinFormatError";
  /**
   * @param message what was wrong and what to do
   * @param file the `.bin` file (or "<memory>")
   */
  constructor(message: string, readonly file: string) {
    super(`${file}: ${message}`);
  }
}

/** An encoded image that is not a JPEG/PNG or does not decode. */
export class ImageDecodeError extends Error {
  override name = "ImageDecodeError";
  /**
   * @param message what was wrong and what to do
   * @param source the file or set the image came from
   * @param key the image's key (path or index)
   */
  constructor(message: string, readonly source: string, readonly key: string) {
    super(`${source}: image ${key}: ${message}`);
  }
}

/** A set that cannot be written as an insightface `.bin` (or a bad write option). */
export class BinWriteError extends Error {
  override name = "BinWriteError";
}
