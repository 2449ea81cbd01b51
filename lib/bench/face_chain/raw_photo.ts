/**
 * Synthetic "raw photos" with a known answer: an aligned 112x112 face crop warped onto a larger
 * cluttered canvas by a random similarity (scale, rotation, shift), with the transform kept, so
 * a detect + align chain can be scored against the truth (see landmark_error.ts). Optionally
 * smaller "distractor" faces (other crops, at most half the target's scale) sit beside the
 * target, so a chain that picks the wrong face is caught. The crop is blended in through a
 * feathered mask (no hard square border). Every pixel goes through lib/data/align's warpAffine
 * (hence lib/image/bilinear.ts); all randomness comes from one seeded generator.
 *
 * @module
 */
import {
  type Affine2x3,
  applyAffine,
  ARCFACE_TEMPLATE_112,
  type Point,
  type RawImage,
  warpAffine,
} from "../../data/align/mod.ts";
import { createRng, type Rng } from "../../random/seeded_rng.ts";
import { clutteredBackground } from "./clutter.ts";

/** Raised for a crop the maker cannot use (wrong size or channels). */
export class RawPhotoError extends Error {
  override name = "RawPhotoError";
}

/** Options of {@linkcode makeRawPhoto}. */
export interface RawPhotoOptions {
  /** Seed of every random choice (default 0). */
  seed?: number;
  /** Scale range of the target crop, canvas px per crop px (default [1.5, 4]). */
  scale?: readonly [number, number];
  /** Rotation range in degrees, counter-clockwise positive (default [-30, 30]). */
  rotationDeg?: readonly [number, number];
  /** Crops of OTHER people pasted smaller than the target (default none). */
  distractors?: readonly RawImage[];
  /** Distractor scale relative to the target's (default [0.3, 0.5]: always smaller). */
  distractorScale?: readonly [number, number];
  /** Width of the feathered edge of the pasted crops, in crop pixels (default 10). */
  featherPx?: number;
  /** The crop's true landmarks (default ARCFACE_TEMPLATE_112; the shared LFW: ARCFACE_96_TEMPLATE_112). */
  cropLandmarks?: readonly Point[];
}

/** One face pasted on the canvas. */
export interface PastedFace {
  /** Crop (112 px) -> canvas similarity. */
  cropToCanvas: Affine2x3;
  /** Scale of the similarity (canvas px per crop px). */
  scale: number;
  /** Rotation in degrees. */
  rotationDeg: number;
  /** Axis-aligned canvas box of the rotated crop. */
  box: { x: number; y: number; width: number; height: number };
}

/** A synthetic photo and its ground truth. */
export interface RawPhoto {
  /** The RGB canvas. */
  image: RawImage;
  /** The target face: its crop -> canvas transform and box. */
  target: PastedFace;
  /** The crop's landmarks (`cropLandmarks`) mapped onto the canvas: where a perfect detector finds them. */
  landmarks5: Point[];
  /** The distractor faces actually placed (some may not fit and are left out). */
  distractors: PastedFace[];
}

const CROP = 112;

/** The similarity of scale s, rotation `deg` about the crop centre, centre moved to (cx, cy). */
function similarity(s: number, deg: number, cx: number, cy: number): Affine2x3 {
  const t = (deg * Math.PI) / 180;
  const a = s * Math.cos(t), b = s * Math.sin(t);
  const c = (CROP - 1) / 2;
  // Image y points down: a counter-clockwise turn on screen is [[cos, sin], [-sin, cos]].
  return [
    [a, b, cx - (a * c + b * c)],
    [-b, a, cy - (-b * c + a * c)],
  ];
}

/** Half the side of the axis-aligned box of a crop at scale s, rotated by `deg`. */
function halfExtent(s: number, deg: number): number {
  const t = (deg * Math.PI) / 180;
  return (s * CROP / 2) * (Math.abs(Math.cos(t)) + Math.abs(Math.sin(t)));
}

/** A crop's feathered alpha mask [112 * 112], 255 inside, ramping to 0 at the border. */
function featherMask(featherPx: number): RawImage {
  const data = new Uint8Array(CROP * CROP);
  for (let y = 0; y < CROP; y++) {
    for (let x = 0; x < CROP; x++) {
      const d = Math.min(x + 0.5, y + 0.5, CROP - x - 0.5, CROP - y - 0.5);
      data[y * CROP + x] = Math.round(255 * Math.min(1, d / Math.max(featherPx, 1e-6)));
    }
  }
  return { data, width: CROP, height: CROP, channels: 1 };
}

/** Blends `crop` onto `canvas` in place through `mask`, warping only over the crop's box. */
function paste(canvas: RawImage, crop: RawImage, mask: RawImage, face: PastedFace): void {
  const x0 = Math.max(0, Math.floor(face.box.x)), y0 = Math.max(0, Math.floor(face.box.y));
  const x1 = Math.min(canvas.width, Math.ceil(face.box.x + face.box.width));
  const y1 = Math.min(canvas.height, Math.ceil(face.box.y + face.box.height));
  const w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0) return;
  const [[a, b, c], [d, e, f]] = face.cropToCanvas;
  const local: Affine2x3 = [[a, b, c - x0], [d, e, f - y0]];
  const rgb = warpAffine(crop, local, { width: w, height: h });
  const alpha = warpAffine(mask, local, { width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const m = alpha.data[y * w + x] / 255;
      if (m === 0) continue;
      const o = ((y + y0) * canvas.width + x + x0) * 3, i = (y * w + x) * 3;
      for (let k = 0; k < 3; k++) {
        canvas.data[o + k] = Math.round(canvas.data[o + k] * (1 - m) + rgb.data[i + k] * m);
      }
    }
  }
}

function checkCrop(crop: RawImage, what: string): void {
  if (crop.width !== CROP || crop.height !== CROP || crop.channels !== 3) {
    throw new RawPhotoError(
      `${what} is ${crop.width}x${crop.height}x${crop.channels}; makeRawPhoto needs an aligned ` +
        `112x112 RGB crop (decode with sharp .removeAlpha().raw())`,
    );
  }
}

function pastedFace(s: number, deg: number, cx: number, cy: number): PastedFace {
  const ext = halfExtent(s, deg);
  return {
    cropToCanvas: similarity(s, deg, cx, cy),
    scale: s,
    rotationDeg: deg,
    box: { x: cx - ext, y: cy - ext, width: 2 * ext, height: 2 * ext },
  };
}

function overlaps(a: PastedFace["box"], b: PastedFace["box"]): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
    b.y < a.y + a.height;
}

/**
 * Picks the canvas size and the target's placement. The target's rotated box spans 30-50% of
 * the canvas width (35-50% of the height): face-api's detectors stop seeing these tight crops
 * once they fill more than ~half the frame (lib/face's measurements, docs/face_chain.md).
 */
function placeTarget(rng: Rng, s: number, deg: number, roomForOthers: boolean) {
  const ext = halfExtent(s, deg), span = 2 * ext;
  const W = Math.max(320, Math.ceil(span / rng.uniform(roomForOthers ? 0.3 : 0.35, 0.5)));
  const H = Math.max(320, Math.ceil(span / rng.uniform(0.35, 0.5)));
  return { W, H, cx: rng.uniform(ext, W - ext), cy: rng.uniform(ext, H - ext) };
}

/**
 * Makes one synthetic raw photo from an aligned 112x112 RGB crop (an LFW / MS1M-style crop whose
 * landmarks sit on the ArcFace template).
 *
 * @param crop the target face, 112x112x3
 */
export function makeRawPhoto(crop: RawImage, options: RawPhotoOptions = {}): RawPhoto {
  checkCrop(crop, "the target crop");
  const others = options.distractors ?? [];
  others.forEach((d, i) => checkCrop(d, `distractor ${i}`));
  const rng = createRng(options.seed ?? 0);
  const [s0, s1] = options.scale ?? [1.5, 4];
  const [r0, r1] = options.rotationDeg ?? [-30, 30];
  const s = rng.uniform(s0, s1), deg = rng.uniform(r0, r1);
  const { W, H, cx, cy } = placeTarget(rng, s, deg, others.length > 0);
  const image = clutteredBackground({ width: W, height: H }, rng);
  const mask = featherMask(options.featherPx ?? 10);
  const target = pastedFace(s, deg, cx, cy);
  const [d0, d1] = options.distractorScale ?? [0.3, 0.5];
  const placed: PastedFace[] = [];
  for (const other of others) {
    const ds = s * rng.uniform(d0, d1), ddeg = rng.uniform(-15, 15);
    const ext = halfExtent(ds, ddeg);
    if (2 * ext >= Math.min(W, H)) continue;
    for (let attempt = 0; attempt < 30; attempt++) {
      const face = pastedFace(ds, ddeg, rng.uniform(ext, W - ext), rng.uniform(ext, H - ext));
      if ([target, ...placed].some((f) => overlaps(f.box, face.box))) continue;
      paste(image, other, mask, face);
      placed.push(face);
      break;
    }
  }
  paste(image, crop, mask, target);
  const truth = options.cropLandmarks ?? ARCFACE_TEMPLATE_112;
  const landmarks5 = truth.map((p) => applyAffine(target.cropToCanvas, p));
  return { image, target, landmarks5, distractors: placed };
}
