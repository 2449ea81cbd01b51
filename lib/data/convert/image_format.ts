/**
 * Image formats the converters accept: JPEG and PNG (stored as their original bytes) and
 * AT&T-style PGM (P5 binary or P2 ASCII, maxval 255; re-encoded as PNG, since TensorFlow and
 * sharp do not decode PGM).
 *
 * @module
 */
import sharp from "sharp";

/** Image kinds recognised by their first bytes. */
export type SourceImageFormat = "jpeg" | "png" | "pgm";

/** File extensions (lower case) the image scanners pick up, with the format they promise. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, SourceImageFormat>> = {
  ".jpg": "jpeg",
  ".jpeg": "jpeg",
  ".png": "png",
  ".pgm": "pgm",
};

/** The format of `bytes` from its magic number, or undefined when it is none of ours. */
export function sniffSourceImageFormat(bytes: Uint8Array): SourceImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return "jpeg";
  }
  if (
    bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e &&
    bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) return "png";
  if (bytes.length >= 2 && bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32)) {
    return "pgm";
  }
  return undefined;
}

/** A decoded 8-bit grayscale image. */
export interface GrayImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Row-major pixels, `width * height` bytes. */
  pixels: Uint8Array;
}

/** A PGM file that does not parse; the message says why. */
export class PgmError extends Error {
  override name = "PgmError";
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Parses a PGM (P5 binary or P2 ASCII) with maxval <= 255. Throws {@linkcode PgmError}. */
export function parsePgm(bytes: Uint8Array): GrayImage {
  if (bytes.length < 2 || bytes[0] !== 0x50 || (bytes[1] !== 0x35 && bytes[1] !== 0x32)) {
    throw new PgmError("not a PGM file (expected the magic 'P5' or 'P2')");
  }
  const ascii = bytes[1] === 0x32;
  let pos = 2;
  const token = (what: string): number => {
    for (;;) { // skip whitespace and # comments
      while (pos < bytes.length && isSpace(bytes[pos])) pos++;
      if (bytes[pos] !== 0x23) break;
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
    }
    const start = pos;
    let v = 0;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
      v = v * 10 + bytes[pos++] - 0x30;
    }
    if (pos === start) throw new PgmError(`bad or missing ${what} at byte ${start}`);
    return v;
  };
  const width = token("width"), height = token("height"), maxval = token("maxval");
  if (width < 1 || height < 1) throw new PgmError(`bad size ${width}x${height}`);
  if (maxval < 1 || maxval > 255) {
    throw new PgmError(`maxval ${maxval} is not supported (only 8-bit PGM, maxval 1..255)`);
  }
  const n = width * height;
  let pixels: Uint8Array;
  if (ascii) {
    pixels = new Uint8Array(n);
    for (let i = 0; i < n; i++) pixels[i] = token(`pixel ${i}`);
  } else {
    pos++; // the single whitespace after maxval
    if (bytes.length - pos < n) {
      throw new PgmError(
        `truncated: ${width}x${height} needs ${n} pixel bytes, only ${bytes.length - pos} remain`,
      );
    }
    pixels = bytes.slice(pos, pos + n);
  }
  if (maxval !== 255) {
    for (let i = 0; i < n; i++) {
      pixels[i] = Math.round((Math.min(pixels[i], maxval) * 255) / maxval);
    }
  }
  return { width, height, pixels };
}

/** Encodes an 8-bit grayscale image as a (lossless) PNG with sharp. */
export async function grayToPng(image: GrayImage): Promise<Uint8Array> {
  const buf = await sharp(image.pixels, {
    raw: { width: image.width, height: image.height, channels: 1 },
  }).toColourspace("b-w").png({ compressionLevel: 6 }).toBuffer(); // 8-bit grayscale PNG
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Fully decodes JPEG/PNG bytes with sharp; throws when they are not decodable. Same strictness
 * as the training pipeline's decoder (sharp's default `failOn: "warning"`), so what passes here
 * decodes in training.
 */
export async function checkDecodable(bytes: Uint8Array): Promise<void> {
  await sharp(bytes).raw().toBuffer();
}
