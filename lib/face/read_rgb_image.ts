/**
 * Decodes a photo (JPEG, PNG, WebP, ... anything sharp reads, and AT&T PGM) to 8-bit RGB, EXIF
 * orientation applied, alpha dropped, grayscale expanded to 3 channels.
 *
 * @module
 */
import sharp from "sharp";
import { parsePgm, sniffSourceImageFormat } from "../data/convert/image_format.ts";
import { FaceDetectionError, type RawImage } from "./face_types.ts";

/** Decodes `pathOrBytes` to RGB; a missing file or non-image is a {@linkcode FaceDetectionError}. */
export async function readRgbImage(pathOrBytes: string | Uint8Array): Promise<RawImage> {
  const where = typeof pathOrBytes === "string" ? `'${pathOrBytes}'` : "the given bytes";
  let bytes: Uint8Array;
  if (typeof pathOrBytes === "string") {
    try {
      bytes = await Deno.readFile(pathOrBytes);
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
      throw new FaceDetectionError(`Cannot read image ${where}: ${why}; check the path.`);
    }
  } else bytes = pathOrBytes;
  if (sniffSourceImageFormat(bytes) === "pgm") {
    let g;
    try {
      g = parsePgm(bytes);
    } catch (e) {
      throw new FaceDetectionError(`${where} is not a readable PGM (${(e as Error).message}).`);
    }
    const rgb = new Uint8Array(g.width * g.height * 3);
    for (let i = 0; i < g.width * g.height; i++) {
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g.pixels[i];
    }
    return { data: rgb, width: g.width, height: g.height, channels: 3 };
  }
  try {
    const { data, info } = await sharp(bytes)
      .rotate() // EXIF orientation
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    let rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    if (info.channels === 1) {
      rgb = new Uint8Array(info.width * info.height * 3);
      for (let i = 0; i < info.width * info.height; i++) {
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i];
      }
    } else if (info.channels !== 3) {
      throw new Error(`decoded to ${info.channels} channels`);
    }
    return { data: rgb, width: info.width, height: info.height, channels: 3 };
  } catch (e) {
    throw new FaceDetectionError(
      `${where} is not a readable image (${(e as Error).message}); ` +
        "pass a JPEG, PNG, WebP or PGM file.",
    );
  }
}
