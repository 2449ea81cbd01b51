/**
 * One image file -> one arcface Example record: JPEG/PNG bytes as they are (magic checked,
 * optionally fully decoded), PGM re-encoded as PNG with the stored filename's extension
 * changed to `.png` (the name then matches the bytes), or, for the path schema, the file's
 * absolute path.
 *
 * @module
 */
import { encodeArcfaceExample } from "../tfrecord/arcface_schema.ts";
import type { ArcfaceSchema } from "../tfrecord/arcface_schema.ts";
import { BadImageError, ConvertError } from "./errors.ts";
import { checkDecodable, grayToPng, parsePgm, sniffSourceImageFormat } from "./image_format.ts";
import type { PlannedImage } from "./plan.ts";

/** Options of {@linkcode makeImageRecord}. */
export interface ImageRecordOptions {
  /** binary (image bytes in the record) or path (the image's path). */
  schema: ArcfaceSchema;
  /**
   * Fully decode JPEG/PNG with sharp to prove it is readable (default true: a truncated JPEG
   * otherwise passes the magic-byte check and fails training mid-run; false skips the decode).
   */
  verifyDecode?: boolean;
}

/** A serialized record and the size of the image data in it. */
export interface ImageRecord {
  /** The serialized tf.train.Example. */
  record: Uint8Array;
  /** Image bytes stored (0 for the path schema). */
  imageBytes: number;
}

const firstBytes = (b: Uint8Array) =>
  [...b.subarray(0, 8)].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/**
 * Builds the record of `item`. Throws {@linkcode BadImageError} for an unreadable, empty,
 * non-image or (unless verifyDecode is false) undecodable file, and {@linkcode ConvertError} for a PGM
 * under the path schema (PGM has to be re-encoded: use the binary schema).
 */
export async function makeImageRecord(
  item: PlannedImage,
  options: ImageRecordOptions,
): Promise<ImageRecord> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(item.path);
  } catch (e) {
    throw new BadImageError(item.path, `cannot read the file (${(e as Error).message})`);
  }
  if (bytes.length === 0) throw new BadImageError(item.path, "empty file (0 bytes)");
  const format = sniffSourceImageFormat(bytes);
  if (!format) {
    throw new BadImageError(
      item.path,
      `not a JPEG, PNG or PGM file (first bytes: ${firstBytes(bytes)})`,
    );
  }
  if (options.schema === "path") {
    if (format === "pgm") {
      throw new ConvertError(
        `${item.path}: PGM images cannot be stored by path (TensorFlow and sharp do not read ` +
          `PGM); use the binary schema, which re-encodes them as PNG.`,
        item.path,
      );
    }
    if (options.verifyDecode ?? true) await verify(item.path, bytes);
    return {
      record: encodeArcfaceExample({ label: item.label, imgPath: item.path }),
      imageBytes: 0,
    };
  }
  let name = item.name;
  if (format === "pgm") {
    try {
      bytes = await grayToPng(parsePgm(bytes));
    } catch (e) {
      throw new BadImageError(item.path, `bad PGM: ${(e as Error).message}`);
    }
    name = name.replace(/\.[^./]*$/, "") + ".png";
  } else if (options.verifyDecode ?? true) {
    await verify(item.path, bytes);
  }
  return {
    record: encodeArcfaceExample({ label: item.label, filename: name, encoded: bytes }),
    imageBytes: bytes.length,
  };
}

async function verify(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await checkDecodable(bytes);
  } catch (e) {
    // libvips' message can be lost when several decodes run at once ("Unknown error").
    const msg = (e as Error).message;
    throw new BadImageError(
      path,
      /^unknown error$/i.test(msg.trim())
        ? `not decodable: truncated or corrupt image data (sharp: ${msg})`
        : `not decodable (${msg})`,
    );
  }
}
