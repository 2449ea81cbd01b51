/**
 * Pad-and-retry for faces that fill the photo: face-api's detectors miss faces covering more
 * than ~45% of the image side (tight crops, AT&T's 92x112 portraits; see docs/face.md), so a
 * photo that gives no face is detected once more after padding it with a border of its mean
 * colour, and the results are mapped back to the input's pixels.
 *
 * @module
 */
import type { Affine2x3, Point } from "../data/align/mod.ts";
import { toRgb } from "./face_detector.ts";
import type { DetectedFace, DetectOptions, FaceDetector, RawImage } from "./face_types.ts";

/** Default border of the retry, as a fraction of max(width, height) on every side. */
export const DEFAULT_PAD_FRACTION = 0.75;

/**
 * When the padded copy is searched: "empty" (default) only when the photo gives no face;
 * "always" every time, merging both results (twice the detection time). "always" finds a face
 * that fills much of the frame even when smaller faces beside it were found (where "largest"
 * would otherwise pick one of those).
 */
export type PadRetryMode = "empty" | "always";

/** Options of {@linkcode detectWithPadRetry}. */
export interface PadRetryOptions extends DetectOptions {
  /** Border of the retry on every side, fraction of max(width, height) (default 0.75). */
  padFraction?: number;
  /** When to search the padded copy (default "empty"). */
  mode?: PadRetryMode;
}

/** What {@linkcode detectWithPadRetry} found. */
export interface PadRetryResult {
  /** Faces in input pixels, largest first. */
  faces: DetectedFace[];
  /** True when (some of) the faces came from the padded copy. */
  padded: boolean;
}

/** `image` (RGB) with `border` px of its mean colour on every side; `offset` = (border, border). */
export function padImage(
  image: RawImage,
  border: number,
): { image: RawImage; offset: [number, number] } {
  const src = toRgb(image);
  const b = Math.max(0, Math.round(border));
  const { width: w, height: h } = src;
  const W = w + 2 * b, H = h + 2 * b;
  const mean = [0, 0, 0];
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) mean[c] += src.data[3 * i + c];
  const out = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    for (let c = 0; c < 3; c++) out[3 * i + c] = Math.round(mean[c] / (w * h));
  }
  for (let y = 0; y < h; y++) {
    out.set(src.data.subarray(3 * y * w, 3 * (y + 1) * w), 3 * ((y + b) * W + b));
  }
  return { image: { data: out, width: W, height: H, channels: 3 }, offset: [b, b] };
}

/** A face found on the padded image, in the input image's pixels. */
function shiftFace(f: DetectedFace, ox: number, oy: number): DetectedFace {
  const back = (p: Point): Point => [p[0] - ox, p[1] - oy];
  const m = f.matrix;
  // input -> padded is a shift by (ox, oy): input -> aligned = M * T(ox, oy).
  const matrix: Affine2x3 = [
    [m[0][0], m[0][1], m[0][2] + m[0][0] * ox + m[0][1] * oy],
    [m[1][0], m[1][1], m[1][2] + m[1][0] * ox + m[1][1] * oy],
  ];
  return {
    ...f,
    box: { ...f.box, x: f.box.x - ox, y: f.box.y - oy },
    landmarks68: f.landmarks68.map(back),
    landmarks5: f.landmarks5.map(back),
    matrix,
  };
}

/**
 * Detects faces in `image`; when none is found (or always, `mode: "always"`), detects once
 * more on the image padded by `padFraction` x max(width, height) on every side and maps boxes,
 * landmarks and the matrix back to `image` (the aligned crops come from the padded image, so any part of the crop
 * outside the photo is the mean colour).
 */
export async function detectWithPadRetry(
  detector: FaceDetector,
  image: RawImage,
  options: PadRetryOptions = {},
): Promise<PadRetryResult> {
  const { padFraction = DEFAULT_PAD_FRACTION, mode = "empty", ...detectOptions } = options;
  const faces = await detector.detect(image, detectOptions);
  if (padFraction <= 0 || (faces.length > 0 && mode === "empty")) return { faces, padded: false };
  const padded = padImage(image, padFraction * Math.max(image.width, image.height));
  const again = await detector.detect(padded.image, detectOptions);
  const [ox, oy] = padded.offset;
  const shifted = again.map((f) => shiftFace(f, ox, oy));
  if (faces.length === 0) return { faces: shifted, padded: shifted.length > 0 };
  // Both searched: a face seen in both keeps the higher-scoring detection (IoU > 0.5).
  const merged = [...faces];
  let fromPadded = false;
  for (const f of shifted) {
    const j = merged.findIndex((g) => boxIou(f.box, g.box) > 0.5);
    if (j < 0) {
      merged.push(f);
      fromPadded = true;
    } else if (f.score > merged[j].score) {
      merged[j] = f;
      fromPadded = true;
    }
  }
  merged.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  return { faces: merged, padded: fromPadded };
}

/** Intersection over union of two boxes (input pixels). */
function boxIou(a: DetectedFace["box"], b: DetectedFace["box"]): number {
  const iw = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const ih = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = iw * ih, union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}
