/**
 * The landmark error of a detect + align chain against a known crop -> photo transform, in
 * 112-crop pixels: each ArcFace template point p is mapped onto the photo by the known
 * transform K, then into the aligned crop by the chain's alignment matrix A; a perfect chain
 * gives A(K(p)) = p (times size / 112 for other crop sizes). The error of point p is
 * |A(K(p)) * 112 / size - p|. The source crop's own landmarks need not be the template (the
 * shared LFW crops sit 8 px left of it: ARCFACE_96_TEMPLATE_112): with `cropLandmarks` = q, point i is
 * scored as |A(K(q_i)) - t_i|. The number also contains each crop's own residual to q (another
 * detector aligned it), so it is an upper bound on the chain's error.
 *
 * @module
 */
import {
  type Affine2x3,
  alignTemplate,
  type AlignTemplateName,
  applyAffine,
  ARCFACE_TEMPLATE_112,
  type Point,
} from "../../data/align/mod.ts";

/** Mean error above which an aligned face counts as the wrong face (112-crop pixels). */
export const WRONG_FACE_PX = 20;

/** Options of {@linkcode landmarkErrors}. */
export interface LandmarkErrorOptions {
  /** Side of the aligned crop the matrix maps to (default 112). */
  size?: number;
  /**
   * Where the 5 landmarks truly are in the source crop (default ARCFACE_TEMPLATE_112; the shared
   * LFW crops: ARCFACE_96_TEMPLATE_112).
   */
  cropLandmarks?: readonly Point[];
  /** The template the chain aligned to (default "arcface"; `DetectOptions.template`). */
  template?: AlignTemplateName;
}

/**
 * The 5 per-point errors [5] in 112-crop pixels: |A(K(q_i)) * 112 / size - t_i| with q_i the
 * source crop's true landmarks and t_i the template the chain aligned to.
 *
 * @param alignMatrix the chain's photo -> aligned-crop similarity (`DetectedFace.matrix`)
 * @param cropToPhoto the known crop (112 px) -> photo transform (`RawPhoto.target.cropToCanvas`)
 */
export function landmarkErrors(
  alignMatrix: Affine2x3,
  cropToPhoto: Affine2x3,
  options: LandmarkErrorOptions = {},
): number[] {
  const k = (options.size ?? 112) / 112;
  const truth = options.cropLandmarks ?? ARCFACE_TEMPLATE_112;
  return alignTemplate(options.template).map((t, i) => {
    const [x, y] = applyAffine(alignMatrix, applyAffine(cropToPhoto, truth[i]));
    return Math.hypot(x / k - t[0], y / k - t[1]);
  });
}

/**
 * The q-quantile (0..1) with linear interpolation between order statistics (numpy's default
 * `np.percentile(..., 100 q)`); NaN for no values.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** One photo's outcome, as {@linkcode summarizeLandmarkErrors} reads it. */
export interface PhotoOutcome {
  /** The 5 point errors of the chosen face, or null when no face was found. */
  errors: number[] | null;
}

/** Summary of a chain run over many photos (112-crop pixels). */
export interface LandmarkErrorSummary {
  /** Photos scored. */
  photos: number;
  /** Photos where no face was found. */
  noFace: number;
  /** Photos whose chosen face has mean error > `wrongFacePx` (a wrong face or a broken align). */
  wrongFace: number;
  /** Mean and 95th percentile over all points of the photos with a right face. */
  mean: number;
  p95: number;
  /** Largest point error over those photos. */
  max: number;
  /** The threshold used for `wrongFace`. */
  wrongFacePx: number;
}

/**
 * Mean, p95 and max point error over the photos where the right face was found, plus the
 * counts of photos with no face and with a wrong face (kept out of the error statistics, so a
 * chain that misses faces cannot hide behind a good mean: assert the counts too).
 */
export function summarizeLandmarkErrors(
  outcomes: readonly PhotoOutcome[],
  options: { wrongFacePx?: number } = {},
): LandmarkErrorSummary {
  const wrongFacePx = options.wrongFacePx ?? WRONG_FACE_PX;
  let noFace = 0, wrongFace = 0;
  const points: number[] = [];
  for (const o of outcomes) {
    if (!o.errors) {
      noFace++;
      continue;
    }
    const mean = o.errors.reduce((a, b) => a + b, 0) / o.errors.length;
    if (mean > wrongFacePx) {
      wrongFace++;
      continue;
    }
    points.push(...o.errors);
  }
  return {
    photos: outcomes.length,
    noFace,
    wrongFace,
    mean: points.length ? points.reduce((a, b) => a + b, 0) / points.length : NaN,
    p95: quantile(points, 0.95),
    max: points.length ? Math.max(...points) : NaN,
    wrongFacePx,
  };
}
