/**
 * arcface-tf2's training augmentation of one decoded image: resize -> crop -> flip ->
 * saturation -> brightness -> (clip) -> /255. The random values come from a per-example
 * generator, drawn in a fixed order whatever is switched off, so switching one step off does not
 * change the others.
 *
 * @module
 */
import {
  adjustSaturation,
  crop,
  divideValues,
  flipLeftRight,
  resizeBilinear,
  type RgbImage,
} from "./image_ops.ts";
import type { ResolvedAugment } from "./options.ts";
import type { Rng } from "../../random/seeded_rng.ts";

/** The random choices made for one example. */
export interface AugmentDraws {
  /** Crop offset, rows. */
  top: number;
  /** Crop offset, columns. */
  left: number;
  /** Mirror left-right. */
  flip: boolean;
  /** Saturation factor (1 when off). */
  saturation: number;
  /** Brightness delta on the configured scale (0 when off). */
  brightness: number;
}

/**
 * Draws the random choices for an image of `height` x `width` (after resizing): crop offsets
 * uniform in [0, S - size] (centre when randomCrop is off), flip with probability 1/2,
 * saturation uniform in [lo, hi), brightness uniform in [-d, d).
 */
export function drawAugment(
  rng: Rng,
  height: number,
  width: number,
  options: ResolvedAugment,
): AugmentDraws {
  const size = options.imageSize;
  const top = rng.int(height - size + 1);
  const left = rng.int(width - size + 1);
  const flip = rng.next() < 0.5;
  const sat = options.saturation ? rng.uniform(options.saturation[0], options.saturation[1]) : 1;
  const br = options.brightness;
  const delta = rng.uniform(-br, br);
  return {
    top: options.randomCrop ? top : Math.floor((height - size) / 2),
    left: options.randomCrop ? left : Math.floor((width - size) / 2),
    flip: options.flip && flip,
    saturation: options.saturation ? sat : 1,
    brightness: br > 0 ? delta : 0,
  };
}

/**
 * Augments one decoded image (values 0..255, any size) into `options.imageSize` squared RGB in
 * [0, 1] (slightly outside when `clip` is off and brightness is on, as in arcface-tf2).
 * Returns the pixels, [size, size, 3].
 */
export function augmentImage(img: RgbImage, rng: Rng, options: ResolvedAugment): Float32Array {
  const size = options.imageSize;
  let x = options.resize ? resizeBilinear(img, options.resize, options.resize) : img;
  if (x.height < size || x.width < size) {
    throw new RangeError(
      `a ${x.height}x${x.width} image is smaller than the ${size}x${size} crop ` +
        `(turn augment.resize on to scale it up)`,
    );
  }
  const d = drawAugment(rng, x.height, x.width, options);
  x = crop(x, d.top, d.left, size, size); // [size, size, 3], a fresh copy
  if (d.flip) flipLeftRight(x);
  if (d.saturation !== 1) adjustSaturation(x, d.saturation);
  const delta = options.brightnessScale === "0-1" ? d.brightness * 255 : d.brightness;
  if (delta === 0 && !options.clip) {
    divideValues(x, 255);
    return x.data;
  }
  // adjustBrightness + clip + divideValues fused in one pass (same arithmetic).
  const v = x.data;
  if (options.clip) {
    for (let i = 0; i < v.length; i++) {
      v[i] = Math.fround(Math.min(255, Math.max(0, v[i] + delta))) / 255;
    }
  } else {
    for (let i = 0; i < v.length; i++) v[i] = Math.fround(v[i] + delta) / 255;
  }
  return v;
}
