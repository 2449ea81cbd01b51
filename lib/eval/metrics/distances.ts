/**
 * Squared L2 distances between pairs of L2-normalised embeddings (insightface's `dist`).
 *
 * @module
 */
import { MetricInputError } from "./errors.ts";
import { checkRows } from "./normalize.ts";

/** Throws unless `pairs` is an even-length list of row indices in 0..nRows-1; returns P. */
export function checkPairIndices(pairs: ArrayLike<number>, nRows: number): number {
  if (pairs.length % 2 !== 0) {
    throw new MetricInputError(
      `pairs has ${pairs.length} indices, an odd number: pairs are [a0, b0, a1, b1, ...]`,
    );
  }
  for (let i = 0; i < pairs.length; i++) {
    const v = pairs[i];
    if (!Number.isInteger(v) || v < 0 || v >= nRows) {
      throw new MetricInputError(
        `pairs[${i}] (pair ${i >> 1}) is ${v}: must be a row index in 0..${nRows - 1}`,
      );
    }
  }
  return pairs.length / 2;
}

/**
 * Squared L2 distance ||e_a - e_b||^2 for every pair (a, b) of `pairs` ([P * 2] row indices)
 * over `embeddings` ([N * dim], expected L2-normalised, so the range is 0..4). Accumulated in
 * float64 (insightface's numpy arrays are float32; differences are ~1e-7). Throws a
 * {@linkcode MetricInputError} for bad shapes, indices or a non-finite result.
 */
export function pairDistances(
  embeddings: ArrayLike<number>,
  dim: number,
  pairs: ArrayLike<number>,
): Float64Array {
  const n = checkRows(embeddings, dim);
  const p = checkPairIndices(pairs, n);
  const out = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const a = pairs[2 * k] * dim;
    const b = pairs[2 * k + 1] * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const d = embeddings[a + j] - embeddings[b + j];
      s += d * d;
    }
    if (!Number.isFinite(s)) {
      throw new MetricInputError(
        `distance of pair ${k} (rows ${pairs[2 * k]}, ${pairs[2 * k + 1]}) is ${s}: ` +
          `the embeddings hold a non-finite value`,
      );
    }
    out[k] = s;
  }
  return out;
}
