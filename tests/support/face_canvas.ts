/**
 * Test support: an aligned 112 crop pasted into a larger canvas at a KNOWN similarity (scale,
 * rotation, shift) over a smooth, noisy background, so that detected landmarks can be mapped
 * back and compared with the ArcFace template.
 *
 * @module
 */
import {
  type Affine2x3,
  invertAffine,
  type RawImage,
  warpAffine,
} from "../../lib/data/align/mod.ts";
import { createRng } from "../../lib/random/seeded_rng.ts";

/** A canvas and the crop -> canvas similarity it was made with. */
export interface KnownCanvas {
  /** The canvas (RGB). */
  image: RawImage;
  /** Crop (112 px) -> canvas similarity. */
  matrix: Affine2x3;
  /** Canvas -> crop. */
  inverse: Affine2x3;
}

/** Pastes `crop` at scale `scale`, rotation `degrees`, centre `(cx, cy)` into a w x h canvas. */
export function pasteAtKnownTransform(
  crop: RawImage,
  options: {
    width: number;
    height: number;
    scale: number;
    degrees: number;
    cx: number;
    cy: number;
    seed?: number;
  },
): KnownCanvas {
  const { width, height, scale, degrees, cx, cy } = options;
  const t = degrees * Math.PI / 180;
  const a = scale * Math.cos(t), b = scale * Math.sin(t);
  const c0 = crop.width / 2, r0 = crop.height / 2;
  // p' = R*s*(p - centre) + (cx, cy)
  const matrix: Affine2x3 = [
    [a, -b, cx - a * c0 + b * r0],
    [b, a, cy - b * c0 - a * r0],
  ];
  const face = warpAffine(crop, matrix, { width, height });
  const mask = warpAffine(
    {
      data: new Uint8Array(crop.width * crop.height).fill(255),
      width: crop.width,
      height: crop.height,
      channels: 1,
    },
    matrix,
    { width, height },
  );
  const rng = createRng(options.seed ?? 1);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x, m = mask.data[i] / 255;
      for (let k = 0; k < 3; k++) {
        const bg = 60 + 120 * ((x * (k + 1) + y * (3 - k)) / (width + height) % 1) +
          20 * (rng.next() - 0.5);
        out[3 * i + k] = Math.round(m * face.data[3 * i + k] + (1 - m) * bg);
      }
    }
  }
  return {
    image: { data: out, width, height, channels: 3 },
    matrix,
    inverse: invertAffine(matrix),
  };
}
