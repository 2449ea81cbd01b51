/**
 * Plain-number operations on flattened gradients ([sum of variable sizes] float32): the
 * trainer sums replicas' gradients, checks them and clips them here, outside TF.js, because
 * they arrive as arrays from Workers anyway.
 *
 * @module
 */

/** `acc += x` element-wise (same length). */
export function addInto(acc: Float32Array, x: Float32Array): void {
  if (acc.length !== x.length) {
    throw new RangeError(`gradient lengths differ: ${acc.length} vs ${x.length}`);
  }
  for (let i = 0; i < acc.length; i++) acc[i] += x[i];
}

/** The global L2 norm (accumulated in float64); NaN or Infinity when any element is. */
export function globalNorm(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * Scales `x` in place so its global norm is at most `maxNorm` (TF's clip_by_global_norm);
 * returns the norm before clipping.
 */
export function clipByGlobalNorm(x: Float32Array, maxNorm: number): number {
  const norm = globalNorm(x);
  if (Number.isFinite(norm) && norm > maxNorm) {
    const f = maxNorm / norm;
    for (let i = 0; i < x.length; i++) x[i] *= f;
  }
  return norm;
}
