/**
 * Detects degenerate (collapsed) models, whose verification accuracy is meaningless: a model
 * that maps every face to nearly the same vector still scores ~50% and a plausible threshold.
 *
 * Flags (any one sets `collapsed`):
 * - every squared distance is below the first threshold step 0.01;
 * - the spread of the distances, max - min, is below 1e-3;
 * - the mean cosine similarity of the different-identity pairs is above 0.99 (from the
 *   embeddings when given, else as 1 - d/2 from the distances, exact for unit vectors).
 *
 * @module
 */
import { checkPairs, MetricInputError } from "./errors.ts";
import { checkPairIndices } from "./distances.ts";
import { checkRows } from "./normalize.ts";

/** Squared distances all below this flag a collapse (the first threshold step). */
export const COLLAPSE_MAX_DIST = 0.01;
/** A distance spread (max - min) below this flags a collapse. */
export const COLLAPSE_MIN_SPREAD = 1e-3;
/** A mean different-pair cosine above this flags a collapse. */
export const COLLAPSE_MAX_DIFF_COSINE = 0.99;

/** Options of {@linkcode detectCollapse}. */
export interface CollapseOptions {
  /** Embeddings [N * dim] (normalised or not: cosines are computed with their norms). */
  embeddings?: ArrayLike<number>;
  /** Embedding size (needed with `embeddings`). */
  dim?: number;
  /** Pairs [P * 2] of row indices into `embeddings` (needed with `embeddings`). */
  pairs?: ArrayLike<number>;
}

/** What {@linkcode detectCollapse} returns. */
export interface CollapseReport {
  collapsed: boolean;
  /** One loud, human-readable sentence per flag raised (empty when not collapsed). */
  reasons: string[];
  stats: {
    minDist: number;
    maxDist: number;
    meanDist: number;
    /** NaN when there is no same pair. */
    meanSameDist: number;
    /** NaN when there is no different pair. */
    meanDiffDist: number;
    /** Mean cosine of the different pairs (NaN when there is none). */
    meanDiffCosine: number;
  };
}

function meanDiffCosineOf(
  embeddings: ArrayLike<number>,
  dim: number,
  pairs: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
): number {
  const n = checkRows(embeddings, dim);
  const p = checkPairIndices(pairs, n);
  if (p !== issame.length) {
    throw new MetricInputError(`pairs holds ${p} pairs but issame has ${issame.length} labels`);
  }
  let sum = 0;
  let count = 0;
  for (let k = 0; k < p; k++) {
    if (issame[k]) continue;
    const a = pairs[2 * k] * dim;
    const b = pairs[2 * k + 1] * dim;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let j = 0; j < dim; j++) {
      ab += embeddings[a + j] * embeddings[b + j];
      aa += embeddings[a + j] ** 2;
      bb += embeddings[b + j] ** 2;
    }
    sum += aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
    count++;
  }
  return count === 0 ? NaN : sum / count;
}

/** Checks `distances` (squared, of normalised embeddings) for a collapsed model. */
export function detectCollapse(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
  options: CollapseOptions = {},
): CollapseReport {
  checkPairs(distances, issame);
  const p = distances.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSame = 0;
  let nSame = 0;
  for (let i = 0; i < p; i++) {
    const d = distances[i];
    if (d < min) min = d;
    if (d > max) max = d;
    sum += d;
    if (issame[i]) {
      sumSame += d;
      nSame++;
    }
  }
  const nDiff = p - nSame;
  const meanDiffDist = nDiff === 0 ? NaN : (sum - sumSame) / nDiff;
  let meanDiffCosine = 1 - meanDiffDist / 2;
  let cosineSource = "from the distances, 1 - d/2";
  if (options.embeddings) {
    if (options.dim === undefined || !options.pairs) {
      throw new MetricInputError("detectCollapse: embeddings given without dim and pairs");
    }
    meanDiffCosine = meanDiffCosineOf(options.embeddings, options.dim, options.pairs, issame);
    cosineSource = "from the embeddings";
  }
  const meaningless = "the verification accuracy and threshold of this model are meaningless";
  const reasons: string[] = [];
  if (max < COLLAPSE_MAX_DIST) {
    reasons.push(
      `COLLAPSED: all ${p} squared distances are below ${COLLAPSE_MAX_DIST} ` +
        `(max ${max.toExponential(2)}): the model maps every face to nearly the same vector; ` +
        meaningless,
    );
  }
  if (max - min < COLLAPSE_MIN_SPREAD) {
    reasons.push(
      `COLLAPSED: the ${p} squared distances span only ${(max - min).toExponential(2)} ` +
        `(min ${min.toExponential(3)}, max ${max.toExponential(3)}, less than ` +
        `${COLLAPSE_MIN_SPREAD}): every pair gets the same distance; ${meaningless}`,
    );
  }
  if (meanDiffCosine > COLLAPSE_MAX_DIFF_COSINE) {
    reasons.push(
      `COLLAPSED: the mean cosine similarity of the ${nDiff} different-identity pairs is ` +
        `${meanDiffCosine.toFixed(5)} (${cosineSource}), above ${COLLAPSE_MAX_DIFF_COSINE}: ` +
        `different people get nearly the same embedding; ${meaningless}`,
    );
  }
  return {
    collapsed: reasons.length > 0,
    reasons,
    stats: {
      minDist: min,
      maxDist: max,
      meanDist: sum / p,
      meanSameDist: nSame === 0 ? NaN : sumSame / nSame,
      meanDiffDist,
      meanDiffCosine,
    },
  };
}
