/**
 * Bilinear affine warp of an interleaved 8-bit image (plain typed arrays, no TF.js), with the
 * conventions of OpenCV `cv2.warpAffine(src, M, (w, h), flags=INTER_LINEAR)`: `matrix` maps
 * source to destination coordinates, pixel centres sit at integer coordinates, and each output
 * pixel (x, y) samples the source at M^-1 (x, y).
 *
 * @module
 */
import { type Affine2x3, invertAffine } from "./similarity_transform.ts";

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

/** Index of coordinate i in [0, n) under BORDER_REFLECT, or -1 when "constant" and outside. */
function borderIndex(i: number, n: number, reflect: boolean): number {
  if (i >= 0 && i < n) return i;
  if (!reflect) return -1;
  if (n === 1) return 0;
  const period = 2 * n;
  let k = ((i % period) + period) % period; // 0 .. 2n-1
  if (k >= n) k = period - 1 - k;
  return k;
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
  const C = image.channels, sw = image.width, sh = image.height, src = image.data;
  const reflect = (options.border ?? "constant") === "reflect";
  const fill = options.borderValue ?? 0;
  const inv = invertAffine(matrix);
  const [[a, b, c], [d, e, f]] = inv;
  const out = new Uint8Array(W * H * C);
  const acc = new Float64Array(C);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sx = a * x + b * y + c, sy = d * x + e * y + f;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      acc.fill(0);
      // The 4 neighbours (x0|x0+1, y0|y0+1) with bilinear weights.
      for (let j = 0; j < 2; j++) {
        const wy = j === 0 ? 1 - fy : fy;
        if (wy === 0) continue;
        const yy = borderIndex(y0 + j, sh, reflect);
        for (let i = 0; i < 2; i++) {
          const w = wy * (i === 0 ? 1 - fx : fx);
          if (w === 0) continue;
          const xx = borderIndex(x0 + i, sw, reflect);
          if (xx < 0 || yy < 0) {
            for (let k = 0; k < C; k++) acc[k] += w * fill;
          } else {
            const o = (yy * sw + xx) * C;
            for (let k = 0; k < C; k++) acc[k] += w * src[o + k];
          }
        }
      }
      const o = (y * W + x) * C;
      for (let k = 0; k < C; k++) out[o + k] = Math.min(255, Math.max(0, Math.round(acc[k])));
    }
  }
  return { data: out, width: W, height: H, channels: C };
}
