/**
 * The bilinear sampler, the one place for it: the pipeline's TF2-style resize, the eval
 * embedders' square resize and dlib re-crop, and the alignment's affine warp all read pixels
 * through {@linkcode bilinearSampler}. Pixel centres sit at integer coordinates; a sample at
 * (x, y) blends the four neighbours (floor(x)|+1, floor(y)|+1) as two horizontal lerps and one
 * vertical lerp, in float64.
 *
 * @module
 */

/** An interleaved image, row-major: `data` is [height, width, channels]. */
export interface SampledImage {
  /** Pixels, [height * width * channels] (bytes or floats). */
  data: ArrayLike<number>;
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
  /** Interleaved channels per pixel. */
  channels: number;
}

/**
 * How samples outside the image are read:
 * - "clamp": the nearest edge pixel (TF2 resize, OpenCV BORDER_REPLICATE);
 * - "reflect": mirror with the edge repeated, `fedcba|abcdef|fedcba` (OpenCV BORDER_REFLECT);
 * - "reflect101": mirror without repeating the edge, `gfedcb|abcdefgh|gfedcba` (numpy 'reflect',
 *   OpenCV BORDER_REFLECT_101);
 * - "constant": `fill` (OpenCV BORDER_CONSTANT).
 */
export type SampleBorder = "clamp" | "reflect" | "reflect101" | "constant";

/** Options of {@linkcode bilinearSampler}. */
export interface SamplerOptions {
  /** Border mode (default "clamp"). */
  border?: SampleBorder;
  /** Value outside the image for "constant" (default 0). */
  fill?: number;
}

/**
 * Writes the `channels` values of the bilinear sample at (x, y) to `out[o ..]`. Not rounded: the
 * caller rounds or clamps for byte output.
 */
export type BilinearSampleFn = (
  x: number,
  y: number,
  out: { [i: number]: number },
  o: number,
) => void;

/** Index of coordinate k in [0, n) under `border`, or -1 for "constant" outside. */
function borderIndex(k: number, n: number, border: SampleBorder): number {
  if (k >= 0 && k < n) return k;
  if (border === "constant") return -1;
  if (border === "clamp" || n === 1) return k < 0 ? 0 : n - 1;
  if (border === "reflect") {
    const period = 2 * n;
    const m = ((k % period) + period) % period; // 0 .. 2n-1
    return m >= n ? period - 1 - m : m;
  }
  const period = 2 * (n - 1);
  const m = ((k % period) + period) % period;
  return m >= n ? period - m : m;
}

/**
 * A bilinear sampler of `image`: `sample(x, y, out, o)` writes the interpolated channels at
 * source coordinates (x, y) into `out[o .. o + channels)`.
 */
export function bilinearSampler(
  image: SampledImage,
  options: SamplerOptions = {},
): BilinearSampleFn {
  const { data: src, width: w, height: h, channels: c } = image;
  const border = options.border ?? "clamp";
  const fill = options.fill ?? 0;
  const at = (row: number, col: number, k: number) =>
    row < 0 || col < 0 ? fill : src[(row * w + col) * c + k];
  return (x, y, out, o) => {
    const xf = Math.floor(x), yf = Math.floor(y);
    const fx = x - xf, fy = y - yf;
    const x0 = borderIndex(xf, w, border), x1 = borderIndex(xf + 1, w, border);
    const y0 = borderIndex(yf, h, border), y1 = borderIndex(yf + 1, h, border);
    for (let k = 0; k < c; k++) {
      const a = at(y0, x0, k), b = at(y0, x1, k), d = at(y1, x0, k), e = at(y1, x1, k);
      const top = a + (b - a) * fx;
      const bot = d + (e - d) * fx;
      out[o + k] = top + (bot - top) * fy;
    }
  };
}

/**
 * `v` with its fractional part rounded to float32, as TF2's ResizeBilinear (and this repo's
 * resizes) compute the lerp weights: pass `float32Fraction(x)` to a sampler to get the same
 * weights bit for bit.
 */
export function float32Fraction(v: number): number {
  const f = Math.floor(v);
  return f + Math.fround(v - f);
}
