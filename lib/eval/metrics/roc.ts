/**
 * ROC curve, AUC and insightface's VAL (TAR) at a target FAR.
 *
 * ROC (`rocCurve`): EXACT, over all pairs pooled (no folds), one point per DISTINCT distance
 * (rule: predict "same" when `dist <= threshold`), preceded by the point (0, 0) whose threshold
 * is -1 (no distance is below 0). FPR = accepted different pairs / different pairs, TPR =
 * accepted same pairs / same pairs (0 when a class is empty). AUC = trapezoid rule over these
 * points, which equals the probability that a random same pair is closer than a random
 * different pair, ties counting one half.
 *
 * VAL (`tarAtFar`): insightface's `calculate_val` faithfully: thresholds 0.000, 0.001, ...,
 * 3.999 (4000 values, built as `i / 1000`); the same folds as the accuracy; per fold,
 * far_train(t) = false accepts / different pairs on the training folds (`dist < t`); if
 * max(far_train) >= target, threshold = `scipy.interpolate.interp1d(far_train, thresholds,
 * kind="slinear")(target)`, else 0; then VAL (TAR) and FAR on the held-out fold at that threshold.
 * Reported: mean and population std (ddof=0) of the fold VALs, mean of the fold FARs.
 *
 * interp1d "slinear" is a degree-1 B-spline through (far_train, thresholds) with knots
 * [x0, x0, x1, ..., xn-1, xn-1] (scipy's make_interp_spline, k=1) over the stable-sorted far
 * values; with the plateaus of equal far values this means: the segment [x_j, x_j+1) with
 * x_j <= target < x_j+1 (x_j the LAST of its run), so a target equal to a plateau value gives
 * the plateau's HIGHEST threshold; a target equal to the maximum uses the last knot interval,
 * which scipy evaluates to 0 when the maximum is attained more than once (kept as is).
 * Where insightface divides by zero (no same / no different pairs in a fold) this returns 0.
 *
 * @module
 */
import { checkPairs } from "./errors.ts";
import { resolveFolds } from "./folds.ts";
import { numpyMean, numpyStd } from "./numpy_stats.ts";
import { thresholdBuckets } from "./verification.ts";

/** A ROC curve: parallel arrays, FPR and TPR non-decreasing. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Squared-distance threshold of each point (rule `dist <= threshold`; -1 for (0, 0)). */
  thresholds: number[];
}

/** Exact ROC curve over all pairs, one point per distinct distance (see the module doc). */
export function rocCurve(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
): RocCurve {
  checkPairs(distances, issame);
  const order = Array.from({ length: distances.length }, (_, i) => i)
    .sort((a, b) => distances[a] - distances[b]);
  let nSame = 0;
  for (let i = 0; i < issame.length; i++) if (issame[i]) nSame++;
  const nDiff = distances.length - nSame;
  const roc: RocCurve = { fpr: [0], tpr: [0], thresholds: [-1] };
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    if (issame[order[k]]) tp++;
    else fp++;
    const d = distances[order[k]];
    if (k + 1 < order.length && distances[order[k + 1]] === d) continue;
    roc.fpr.push(nDiff === 0 ? 0 : fp / nDiff);
    roc.tpr.push(nSame === 0 ? 0 : tp / nSame);
    roc.thresholds.push(d);
  }
  return roc;
}

/** Area under a ROC curve by the trapezoid rule. */
export function rocAuc(roc: RocCurve): number {
  let auc = 0;
  for (let i = 1; i < roc.fpr.length; i++) {
    auc += (roc.fpr[i] - roc.fpr[i - 1]) * (roc.tpr[i] + roc.tpr[i - 1]) / 2;
  }
  return auc;
}

/**
 * At most `maxPoints` (>= 2) points of `roc`, evenly spaced by index, always keeping the first
 * and the last point (for storage; the AUC should be computed on the full curve).
 */
export function downsampleRoc(roc: RocCurve, maxPoints = 500): RocCurve {
  const n = roc.fpr.length;
  if (n <= maxPoints) {
    return { fpr: [...roc.fpr], tpr: [...roc.tpr], thresholds: [...roc.thresholds] };
  }
  const out: RocCurve = { fpr: [], tpr: [], thresholds: [] };
  let last = -1;
  for (let k = 0; k < maxPoints; k++) {
    const i = Math.round(k * (n - 1) / (maxPoints - 1));
    if (i === last) continue;
    last = i;
    out.fpr.push(roc.fpr[i]);
    out.tpr.push(roc.tpr[i]);
    out.thresholds.push(roc.thresholds[i]);
  }
  return out;
}

/** Number of VAL thresholds (0.000 .. 3.999). */
export const VAL_THRESHOLD_COUNT = 4000;

/** The 4000 VAL thresholds 0.000, 0.001, ..., 3.999, as `i / 1000`. */
export function valThresholds(): Float64Array {
  return Float64Array.from({ length: VAL_THRESHOLD_COUNT }, (_, i) => i / 1000);
}

/**
 * scipy `interp1d(x, y, kind="slinear")(target)` for ascending `x` (ties allowed) and
 * `x[0] <= target <= x[n-1]`, evaluated as scipy's de Boor recursion does (see module doc).
 */
export function slinearInterp(x: ArrayLike<number>, y: ArrayLike<number>, target: number): number {
  const n = x.length;
  // knots t[0] = x[0], t[i + 1] = x[i], t[n + 1] = x[n - 1]; find_interval with k = 1
  const knot = (i: number) => (i === 0 ? x[0] : i === n + 1 ? x[n - 1] : x[i - 1]);
  let l = 1;
  l += 1;
  while (target >= knot(l) && l !== n) l++;
  const ell = l - 1;
  const xa = knot(ell);
  const xb = knot(ell + 1);
  if (xa === xb) return 0;
  const w = 1 / (xb - xa);
  // coefficients c[ell - 1], c[ell] with c = y
  return y[ell - 1] * (w * (xb - target)) + y[ell] * (w * (target - xa));
}

/** Options of {@linkcode tarAtFar}. */
export interface TarAtFarOptions {
  /** Fold id per pair (default: contiguous KFold(nFolds)). */
  folds?: ArrayLike<number>;
  /** Fold count for the default KFold (default 10). */
  nFolds?: number;
}

/** What {@linkcode tarAtFar} returns. */
export interface TarAtFarResult {
  /** Mean of the fold VALs (TAR on the held-out fold). */
  tar: number;
  /** Population std (ddof=0) of the fold VALs. */
  std: number;
  /** Mean of the held-out FARs. */
  far: number;
  foldTars: number[];
  foldFars: number[];
  /** Threshold chosen on the training folds of each fold (0 when the target was unreachable). */
  foldThresholds: number[];
}

/** insightface's VAL at FAR `farTarget` (`calculate_val`; see the module doc). */
export function tarAtFar(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
  farTarget: number,
  options: TarAtFarOptions = {},
): TarAtFarResult {
  checkPairs(distances, issame);
  const { ids, nFolds } = resolveFolds(distances.length, options);
  const thresholds = valThresholds();
  const t = thresholds.length;
  const bucket = thresholdBuckets(distances, thresholds);
  const diffHist = new Int32Array(nFolds * (t + 1));
  const diffTotal = new Int32Array(t + 1);
  const nDiffFold = new Int32Array(nFolds);
  for (let i = 0; i < distances.length; i++) {
    if (issame[i]) continue;
    diffHist[ids[i] * (t + 1) + bucket[i]]++;
    diffTotal[bucket[i]]++;
    nDiffFold[ids[i]]++;
  }
  const nDiffAll = nDiffFold.reduce((a, b) => a + b, 0);
  const res: TarAtFarResult = {
    tar: 0,
    std: 0,
    far: 0,
    foldTars: [],
    foldFars: [],
    foldThresholds: [],
  };
  const farTrain = new Float64Array(t);
  for (let f = 0; f < nFolds; f++) {
    const nDiff = nDiffAll - nDiffFold[f];
    let fa = 0;
    let maxFar = -Infinity;
    for (let i = 0; i < t; i++) {
      fa += diffTotal[i] - diffHist[f * (t + 1) + i];
      farTrain[i] = nDiff === 0 ? 0 : fa / nDiff;
      if (farTrain[i] > maxFar) maxFar = farTrain[i];
    }
    const th = maxFar >= farTarget ? slinearInterp(farTrain, thresholds, farTarget) : 0;
    let ta = 0;
    let fat = 0;
    let nS = 0;
    let nD = 0;
    for (let i = 0; i < distances.length; i++) {
      if (ids[i] !== f) continue;
      const accept = distances[i] < th;
      if (issame[i]) {
        nS++;
        if (accept) ta++;
      } else {
        nD++;
        if (accept) fat++;
      }
    }
    res.foldTars.push(nS === 0 ? 0 : ta / nS);
    res.foldFars.push(nD === 0 ? 0 : fat / nD);
    res.foldThresholds.push(th);
  }
  res.tar = numpyMean(res.foldTars);
  res.std = numpyStd(res.foldTars);
  res.far = numpyMean(res.foldFars);
  return res;
}
