/**
 * Least-squares similarity transform (rotation + uniform scale + translation, no reflection)
 * between two point sets: Umeyama (1991) in 2-D, as skimage `SimilarityTransform.estimate`
 * and insightface's `norm_crop` use.
 *
 * @module
 */

/** A 2-D point [x, y] in pixels. */
export type Point = readonly [number, number];

/**
 * A 2x3 affine matrix [[a, b, tx], [c, d, ty]] mapping (x, y) to
 * (a x + b y + tx, c x + d y + ty), the layout of OpenCV's `warpAffine` matrices.
 */
export type Affine2x3 = [[number, number, number], [number, number, number]];

/** Raised when a transform cannot be estimated or inverted (too few or degenerate points). */
export class TransformError extends Error {
  override name = "TransformError";
}

/**
 * Estimates the similarity T minimising sum_i |dst_i - T(src_i)|^2 with T = s R x + t, s >= 0,
 * R a rotation (det +1). In 2-D, s R = [[a, -b], [b, a]] and the optimum is closed-form
 * (identical to Umeyama's SVD solution with its reflection correction):
 * a = sum(xs . xd) / sum|xs|^2, b = sum(xs x xd) / sum|xs|^2 over centred points,
 * t = mean(dst) - s R mean(src).
 *
 * @param src source points [N][2] (e.g. detected landmarks), N >= 2
 * @param dst destination points [N][2] (e.g. {@linkcode ARCFACE_TEMPLATE_112})
 * @returns the 2x3 matrix mapping src to dst
 */
export function estimateSimilarityTransform(
  src: readonly Point[],
  dst: readonly Point[],
): Affine2x3 {
  const n = src.length;
  if (n < 2 || dst.length !== n) {
    throw new TransformError(
      `need the same number (>= 2) of source and destination points, got ${n} and ${dst.length}`,
    );
  }
  for (const p of [...src, ...dst]) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new TransformError(`point [${p}] is not finite; check the landmark detector output`);
    }
  }
  let msx = 0, msy = 0, mdx = 0, mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i][0], msy += src[i][1], mdx += dst[i][0], mdy += dst[i][1];
  }
  msx /= n, msy /= n, mdx /= n, mdy /= n;
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - msx, sy = src[i][1] - msy;
    const dx = dst[i][0] - mdx, dy = dst[i][1] - mdy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  }
  if (!(norm > 1e-12)) {
    throw new TransformError("the source points all coincide; no transform is defined");
  }
  const a = dot / norm, b = cross / norm;
  return [
    [a, -b, mdx - (a * msx - b * msy)],
    [b, a, mdy - (b * msx + a * msy)],
  ];
}

/**
 * Applies a 2x3 affine matrix to a point.
 *
 * @param m the matrix
 * @param p the point [x, y]
 */
export function applyAffine(m: Affine2x3, p: Point): [number, number] {
  return [
    m[0][0] * p[0] + m[0][1] * p[1] + m[0][2],
    m[1][0] * p[0] + m[1][1] * p[1] + m[1][2],
  ];
}

/**
 * The inverse of a 2x3 affine matrix (as OpenCV `invertAffineTransform`).
 *
 * @param m an invertible affine matrix
 */
export function invertAffine(m: Affine2x3): Affine2x3 {
  const [[a, b, tx], [c, d, ty]] = m;
  const det = a * d - b * c;
  if (!(Math.abs(det) > 1e-12) || !Number.isFinite(det)) {
    throw new TransformError(`the matrix is singular (det ${det}); it cannot be inverted`);
  }
  const ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
  return [
    [ia, ib, -(ia * tx + ib * ty)],
    [ic, id, -(ic * tx + id * ty)],
  ];
}
