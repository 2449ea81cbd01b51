/**
 * Bilinear affine warp of an interleaved 8-bit image (plain typed arrays, no TF.js), with the
 * conventions of OpenCV `cv2.warpAffine(src, M, (w, h), flags=INTER_LINEAR)`: `matrix` maps
 * source to destination coordinates, pixel centres sit at integer coordinates, and each output
 * pixel (x, y) samples the source at M^-1 (x, y).
 *
 * @module
 */
import { type Affine2x3, invertAffine } from "./similarity_transform.ts";
import { bilinearSampler } from "../../image/bilinear.ts";

/** An interleaved 8-bit image: data [height * width * channels], row-major, e.g. RGB. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** How samples outside the source image are filled. */
export type BorderMode = "constant" | "reflect";

/** Options of {@linkcode warpAffine}. */
export interface WarpOptions {
  /** Output width in pixels (default 112). */
  width?: number;
  /** Output height in pixels (default 112). */
  height?: number;
  /**
   * Border: "constant" (default; `borderValue` outside, as insightface's `norm_crop`) or
   * "reflect" (mirror with the edge pixel repeated, OpenCV BORDER_REFLECT: `fedcba|abcdef|fedcba`).
   */
  border?: BorderMode;
  /** Fill value for "constant" (default 0). */
  borderValue?: number;
}

/** Raised for an image whose buffer does not match its declared size. */
export class ImageShapeError extends Error {
  override name = "ImageShapeError";
}

/** Checks that `image.data` holds exactly height * width * channels bytes. */
export function checkRawImage(image: RawImage): void {
  const { width, height, channels, data } = image;
  const ok = [width, height, channels].every((v) => Number.isInteger(v) && v > 0);
  if (!ok || data.length !== width * height * channels) {
    throw new ImageShapeError(
      `image data has ${data.length} bytes but is declared ${width}x${height}x${channels} ` +
        `(${width * height * channels}); pass the raw decoded pixels (e.g. sharp .raw())`,
    );
  }
}

/**
 * Warps `image` by `matrix` (source -> destination) into a new width x height image with the
 * same channels, bilinear interpolation, rounded to the nearest integer.
 *
 * @param image source pixels
 * @param matrix 2x3 affine matrix from source to destination coordinates
 */
export function warpAffine(
  image: RawImage,
  matrix: Affine2x3,
  options: WarpOptions = {},
): RawImage {
  checkRawImage(image);
  const W = options.width ?? 112, H = options.height ?? 112;
  const C = image.channels;
  const sample = bilinearSampler(image, {
    border: (options.border ?? "constant") === "reflect" ? "reflect" : "constant",
    fill: options.borderValue ?? 0,
  });
  const [[a, b, c], [d, e, f]] = invertAffine(matrix);
  const out = new Uint8Array(W * H * C);
  const px = new Float64Array(C);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      sample(a * x + b * y + c, d * x + e * y + f, px, 0);
      const o = (y * W + x) * C;
      for (let k = 0; k < C; k++) out[o + k] = Math.min(255, Math.max(0, Math.round(px[k])));
    }
  }
  return { data: out, width: W, height: H, channels: C };
}
