/**
 * Pixel operations of arcface-tf2's training augmentation, on raw interleaved RGB float images
 * (HWC, channel last). Each matches the TensorFlow 2 op named in its doc comment; values stay on
 * whatever scale they come in (arcface-tf2 works on 0..255 until the final /255).
 *
 * @module
 */
import { bilinearSampler, float32Fraction } from "../../image/bilinear.ts";

/** An RGB image, channel last: `data` is [height, width, 3] row-major. */
export interface RgbImage {
  /** Pixels, [height, width, 3]. */
  data: Float32Array;
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
}

/**
 * Bilinear resize as TensorFlow 2's `tf.image.resize(x, size)` (method bilinear, antialias off,
 * i.e. `ResizeBilinear` with `half_pixel_centers=True, align_corners=False`): output pixel i
 * samples the source at `(i + 0.5) * in/out - 0.5`, clamped to the edge. The result is float,
 * not rounded (TF returns float32 too).
 */
export function resizeBilinear(img: RgbImage, height: number, width: number): RgbImage {
  if (img.height === height && img.width === width) {
    return { data: img.data.slice(), height, width };
  }
  const sample = bilinearSampler({ ...img, channels: 3 }, { border: "clamp" });
  const sy = img.height / height, sx = img.width / width;
  // Half-pixel centres (TF2's tf.image.resize): source = (i + 0.5) * in/out - 0.5, with the lerp
  // weights in float32 as TF computes them.
  const xs = Float64Array.from({ length: width }, (_, x) => float32Fraction((x + 0.5) * sx - 0.5));
  const out = new Float32Array(height * width * 3); // [height, width, 3]
  for (let y = 0; y < height; y++) {
    const sy0 = float32Fraction((y + 0.5) * sy - 0.5);
    for (let x = 0; x < width; x++) sample(xs[x], sy0, out, (y * width + x) * 3);
  }
  return { data: out, height, width };
}

/** Crop `height` x `width` starting at row `top`, column `left` (as `tf.image.crop_to_bounding_box`). */
export function crop(
  img: RgbImage,
  top: number,
  left: number,
  height: number,
  width: number,
): RgbImage {
  if (top < 0 || left < 0 || top + height > img.height || left + width > img.width) {
    throw new RangeError(
      `Crop ${height}x${width} at (${top}, ${left}) is outside a ${img.height}x${img.width} image.`,
    );
  }
  const out = new Float32Array(height * width * 3); // [height, width, 3]
  for (let y = 0; y < height; y++) {
    const s = ((top + y) * img.width + left) * 3;
    out.set(img.data.subarray(s, s + width * 3), y * width * 3);
  }
  return { data: out, height, width };
}

/** Mirror left-right in place (as `tf.image.flip_left_right`). */
export function flipLeftRight(img: RgbImage): void {
  const d = img.data;
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width * 3;
    for (let a = 0, b = img.width - 1; a < b; a++, b--) {
      for (let c = 0; c < 3; c++) {
        const i = row + a * 3 + c;
        const j = row + b * 3 + c;
        const v = d[i];
        d[i] = d[j];
        d[j] = v;
      }
    }
  }
}

/**
 * Scale saturation in place, as TensorFlow's `AdjustSaturation` kernel
 * (`tf.image.adjust_saturation`): RGB -> HSV, `s = clip(s * factor, 0, 1)`, HSV -> RGB. Hue and
 * value (the max channel) are unchanged, so the result stays inside [0, max]. Works on any value
 * scale (0..1 or 0..255): the HSV round trip is scale-invariant.
 */
export function adjustSaturation(img: RgbImage, factor: number): void {
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    const r = d[i], g = d[i + 1], b = d[i + 2];
    // rgb -> hsv (TF's rgb_to_hsv in adjust_saturation_op.cc)
    const v = Math.max(r, g, b);
    const range = v - Math.min(r, g, b);
    let s = v > 0 ? range / v : 0;
    let h: number;
    const norm = 1 / (6 * range);
    if (r === v) h = norm * (g - b);
    else if (g === v) h = norm * (b - r) + 2 / 6;
    else h = norm * (r - g) + 4 / 6;
    if (range <= 0) h = 0;
    if (h < 0) h += 1;
    s = Math.min(1, Math.max(0, s * factor));
    // hsv -> rgb (TF's hsv_to_rgb)
    const c = s * v;
    const m = v - c;
    const dh = h * 6;
    const cat = Math.trunc(dh);
    let fm = dh;
    while (fm <= 0) fm += 2;
    while (fm >= 2) fm -= 2;
    const x = c * (1 - Math.abs(fm - 1));
    let rr = 0, gg = 0, bb = 0;
    switch (cat) {
      case 0:
        rr = c, gg = x;
        break;
      case 1:
        rr = x, gg = c;
        break;
      case 2:
        gg = c, bb = x;
        break;
      case 3:
        gg = x, bb = c;
        break;
      case 4:
        rr = x, bb = c;
        break;
      case 5:
        rr = c, bb = x;
        break;
    }
    d[i] = rr + m;
    d[i + 1] = gg + m;
    d[i + 2] = bb + m;
  }
}

/**
 * Add `delta` to every value in place (as `tf.image.adjust_brightness` on a float image, which
 * does not clip), then, when `clipMax` is given, clip to [0, clipMax].
 */
export function adjustBrightness(img: RgbImage, delta: number, clipMax?: number): void {
  const d = img.data;
  if (clipMax === undefined) {
    for (let i = 0; i < d.length; i++) d[i] += delta;
  } else {
    for (let i = 0; i < d.length; i++) d[i] = Math.min(clipMax, Math.max(0, d[i] + delta));
  }
}

/** Divide every value by `divisor` in place (arcface-tf2's final `x / 255`). */
export function divideValues(img: RgbImage, divisor: number): void {
  const d = img.data;
  for (let i = 0; i < d.length; i++) d[i] /= divisor;
}
