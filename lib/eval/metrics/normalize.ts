/**
 * Row-wise L2 normalisation of embeddings and insightface's XNorm (mean raw row norm).
 *
 * @module
 */
import { MetricInputError } from "./errors.ts";

/** Throws unless `dim` is a positive integer dividing `data.length`; returns the row count. */
export function checkRows(data: ArrayLike<number>, dim: number, what = "embeddings"): number {
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new MetricInputError(`dim must be a positive integer, got ${dim}`);
  }
  if (data.length % dim !== 0) {
    throw new MetricInputError(
      `${what} has ${data.length} values, not a multiple of dim ${dim}`,
    );
  }
  return data.length / dim;
}

function rowNorm(data: ArrayLike<number>, row: number, dim: number, what: string): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const v = data[row * dim + j];
    if (!Number.isFinite(v)) {
      throw new MetricInputError(`${what} row ${row}, column ${j} is ${v}: must be finite`);
    }
    s += v * v;
  }
  return Math.sqrt(s);
}

/**
 * A new Float32Array with every row of `embeddings` ([N * dim]) divided by its L2 norm (norm
 * accumulated in float64). A zero row stays zero, as in sklearn's `normalize` that insightface
 * uses. Throws a {@linkcode MetricInputError} for a bad `dim` or a non-finite value.
 */
export function l2NormalizeRows(embeddings: ArrayLike<number>, dim: number): Float32Array {
  const n = checkRows(embeddings, dim);
  const out = new Float32Array(embeddings.length);
  for (let i = 0; i < n; i++) {
    const norm = rowNorm(embeddings, i, dim, "embeddings");
    const inv = norm === 0 ? 1 : 1 / norm;
    for (let j = 0; j < dim; j++) out[i * dim + j] = embeddings[i * dim + j] * inv;
  }
  return out;
}

/**
 * insightface's XNorm: the mean L2 norm of the raw (un-normalised) rows, summed in order in
 * float64. insightface feeds both the plain and the flipped embeddings (2N rows); pass whatever
 * rows you want averaged.
 */
export function xnorm(rawEmbeddings: ArrayLike<number>, dim: number): number {
  const n = checkRows(rawEmbeddings, dim, "rawEmbeddings");
  if (n === 0) throw new MetricInputError("rawEmbeddings is empty");
  let total = 0;
  for (let i = 0; i < n; i++) total += rowNorm(rawEmbeddings, i, dim, "rawEmbeddings");
  return total / n;
}
