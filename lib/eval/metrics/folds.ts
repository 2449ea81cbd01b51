/**
 * Fold assignment for the 10-fold verification protocol: sklearn's `KFold(n_splits, shuffle=False)`
 * (contiguous folds over the pair order; the first `P % n` folds get one extra pair), or fold
 * ids given by the data set.
 *
 * @module
 */
import { MetricInputError } from "./errors.ts";

/** Sizes of sklearn's `KFold(nFolds, shuffle=False)` folds for `nPairs` pairs. */
export function kfoldSizes(nPairs: number, nFolds = 10): number[] {
  if (!Number.isInteger(nFolds) || nFolds < 2) {
    throw new MetricInputError(`nFolds must be an integer >= 2, got ${nFolds}`);
  }
  if (nPairs < nFolds) {
    throw new MetricInputError(
      `cannot split ${nPairs} pairs into ${nFolds} folds (sklearn KFold needs at least one per fold)`,
    );
  }
  const base = Math.floor(nPairs / nFolds);
  return Array.from({ length: nFolds }, (_, k) => base + (k < nPairs % nFolds ? 1 : 0));
}

/** Fold id per pair for contiguous `KFold(nFolds, shuffle=False)` folds. */
export function kfoldIds(nPairs: number, nFolds = 10): Int32Array {
  const ids = new Int32Array(nPairs);
  let at = 0;
  kfoldSizes(nPairs, nFolds).forEach((size, k) => {
    ids.fill(k, at, at + size);
    at += size;
  });
  return ids;
}

/**
 * Checks given fold ids (one per pair, values 0..K-1, every fold non-empty, K >= 2) and returns
 * K. Throws a {@linkcode MetricInputError} saying what is wrong and where.
 */
export function checkFoldIds(folds: ArrayLike<number>, nPairs: number): number {
  if (folds.length !== nPairs) {
    throw new MetricInputError(`folds has ${folds.length} ids but there are ${nPairs} pairs`);
  }
  let max = -1;
  for (let i = 0; i < folds.length; i++) {
    const f = folds[i];
    if (!Number.isInteger(f) || f < 0) {
      throw new MetricInputError(`folds[${i}] is ${f}: fold ids must be integers >= 0`);
    }
    if (f > max) max = f;
  }
  const count = new Int32Array(max + 1);
  for (let i = 0; i < folds.length; i++) count[folds[i]]++;
  const empty = count.findIndex((c) => c === 0);
  if (empty >= 0) {
    throw new MetricInputError(`fold ${empty} of 0..${max} has no pairs: fold ids must be 0..K-1`);
  }
  if (max + 1 < 2) throw new MetricInputError(`folds has only one fold id; at least 2 are needed`);
  return max + 1;
}

/** Fold ids and fold count: `folds` when given (checked), else `KFold(nFolds)` over `nPairs`. */
export function resolveFolds(
  nPairs: number,
  options: { folds?: ArrayLike<number>; nFolds?: number } = {},
): { ids: ArrayLike<number>; nFolds: number } {
  if (options.folds) return { ids: options.folds, nFolds: checkFoldIds(options.folds, nPairs) };
  const nFolds = options.nFolds ?? 10;
  return { ids: kfoldIds(nPairs, nFolds), nFolds };
}

/** Index of the first threshold `t` with `value < t` in ascending `thresholds` (length if none). */
export function firstThresholdAbove(thresholds: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value < thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
