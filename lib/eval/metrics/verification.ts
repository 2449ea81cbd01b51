/**
 * Verification accuracy by insightface's / arcface-tf2's 10-fold protocol
 * (`calculate_roc` in insightface's verification.py and arcface-tf2's modules/evaluations.py):
 *
 * - thresholds 0.00, 0.01, ..., 3.99 (400 values), built here as `i / 100` so that each is the
 *   double nearest to the decimal (numpy's `np.arange(0, 4, 0.01)` gives `i * 0.01`, which is
 *   1 ulp off for some i, e.g. 0.030000000000000002; only a distance lying in that 1-ulp gap
 *   could be classified differently);
 * - folds: sklearn `KFold(10, shuffle=False)` over the pair order (the first P % 10 folds hold
 *   one extra pair), or fold ids given by the caller;
 * - prediction "same" when `dist < threshold` (strict);
 * - for each fold: accuracy of every threshold on the other folds, best = FIRST (lowest)
 *   threshold with the maximal training accuracy (`np.argmax`), scored on the held-out fold;
 * - accuracy = mean of fold accuracies, std = `np.std` = POPULATION std (ddof=0),
 *   meanThreshold = mean of the per-fold best thresholds (arcface-tf2's `best_th`).
 *
 * Cost: one binary search per pair plus O(folds * thresholds) cumulative counts.
 *
 * @module
 */
import { checkPairs } from "./errors.ts";
import { firstThresholdAbove, resolveFolds } from "./folds.ts";
import { numpyMean, numpyStd } from "./numpy_stats.ts";

/** Number of accuracy thresholds (0.00 .. 3.99). */
export const ACCURACY_THRESHOLD_COUNT = 400;

/** The 400 thresholds 0.00, 0.01, ..., 3.99, as `i / 100`. */
export function accuracyThresholds(): Float64Array {
  return Float64Array.from({ length: ACCURACY_THRESHOLD_COUNT }, (_, i) => i / 100);
}

/** Options of {@linkcode verificationAccuracy}. */
export interface VerificationOptions {
  /** Fold id (0..K-1) per pair, for sets whose folds are given; default contiguous KFold. */
  folds?: ArrayLike<number>;
  /** Fold count for the default KFold (default 10). Ignored when `folds` is given. */
  nFolds?: number;
}

/** What {@linkcode verificationAccuracy} returns. */
export interface VerificationResult {
  /** Mean of the fold accuracies (numpy pairwise summation). */
  accuracy: number;
  /** Population standard deviation (ddof=0, numpy's default) of the fold accuracies. */
  std: number;
  /** Best training threshold of each fold. */
  bestThresholds: number[];
  /** Mean of `bestThresholds`. */
  meanThreshold: number;
  /** Held-out accuracy of each fold. */
  foldAccuracies: number[];
  /** Pairs in each fold. */
  foldSizes: number[];
}

/**
 * Bucket of every distance on an ascending threshold grid: the index of the first threshold
 * that predicts "same" (`dist < t`), or `thresholds.length` when none does.
 */
export function thresholdBuckets(
  distances: ArrayLike<number>,
  thresholds: ArrayLike<number>,
): Int32Array {
  const out = new Int32Array(distances.length);
  for (let i = 0; i < distances.length; i++) {
    out[i] = firstThresholdAbove(thresholds, distances[i]);
  }
  return out;
}

/**
 * insightface's 10-fold verification accuracy of squared distances `distances` with labels
 * `issame` (true / 1 = same identity). Throws a {@linkcode MetricInputError} for length
 * mismatches, non-finite distances or bad folds.
 */
export function verificationAccuracy(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
  options: VerificationOptions = {},
): VerificationResult {
  checkPairs(distances, issame);
  const p = distances.length;
  const { ids, nFolds } = resolveFolds(p, options);
  const thresholds = accuracyThresholds();
  const t = thresholds.length;
  const bucket = thresholdBuckets(distances, thresholds);
  // hist[(fold * 2 + same) * (t + 1) + bucket]
  const width = t + 1;
  const hist = new Int32Array(nFolds * 2 * width);
  const total = new Int32Array(2 * width);
  for (let i = 0; i < p; i++) {
    const s = issame[i] ? 1 : 0;
    hist[(ids[i] * 2 + s) * width + bucket[i]]++;
    total[s * width + bucket[i]]++;
  }
  const bestThresholds: number[] = [];
  const foldAccuracies: number[] = [];
  const foldSizes: number[] = [];
  for (let f = 0; f < nFolds; f++) {
    const diffOf = (b: number) => total[b] - hist[f * 2 * width + b];
    const sameOf = (b: number) => total[width + b] - hist[(f * 2 + 1) * width + b];
    let nDiff = 0;
    for (let b = 0; b < width; b++) nDiff += diffOf(b);
    // correct(i) = TP(i) + TN(i) = #same with bucket <= i + #diff with bucket > i
    let tp = 0;
    let fp = 0;
    let best = 0;
    let bestCorrect = -1;
    for (let i = 0; i < t; i++) {
      tp += sameOf(i);
      fp += diffOf(i);
      const correct = tp + nDiff - fp;
      if (correct > bestCorrect) {
        bestCorrect = correct;
        best = i;
      }
    }
    let correct = 0;
    let size = 0;
    for (let b = 0; b < width; b++) {
      const d = hist[f * 2 * width + b];
      const s = hist[(f * 2 + 1) * width + b];
      size += d + s;
      correct += b <= best ? s : d;
    }
    bestThresholds.push(thresholds[best]);
    foldAccuracies.push(correct / size);
    foldSizes.push(size);
  }
  return {
    accuracy: numpyMean(foldAccuracies),
    std: numpyStd(foldAccuracies),
    bestThresholds,
    meanThreshold: numpyMean(bestThresholds),
    foldAccuracies,
    foldSizes,
  };
}

/** FAR and TAR of one threshold on a whole set (rule `dist < threshold`, as the accuracy's). */
export interface RatesAtThreshold {
  /** The squared-distance threshold. */
  threshold: number;
  /** Different-identity pairs accepted / different-identity pairs (0 when there are none). */
  far: number;
  /** Same-identity pairs accepted / same-identity pairs (0 when there are none). */
  tar: number;
  /** Different-identity pairs with `dist < threshold`. */
  falseAccepts: number;
  /** Different-identity pairs. */
  differentPairs: number;
  /** Same-identity pairs with `dist < threshold`. */
  trueAccepts: number;
  /** Same-identity pairs. */
  samePairs: number;
}

/**
 * FAR and TAR over all pairs at `threshold`, predicting "same" when `dist < threshold` (the
 * 10-fold accuracy's rule, so that the numbers belong to the threshold that accuracy chose).
 * Throws a {@linkcode MetricInputError} for length mismatches or non-finite distances.
 */
export function ratesAtThreshold(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
  threshold: number,
): RatesAtThreshold {
  checkPairs(distances, issame);
  let falseAccepts = 0, differentPairs = 0, trueAccepts = 0, samePairs = 0;
  for (let i = 0; i < distances.length; i++) {
    const accepted = distances[i] < threshold;
    if (issame[i]) {
      samePairs++;
      if (accepted) trueAccepts++;
    } else {
      differentPairs++;
      if (accepted) falseAccepts++;
    }
  }
  return {
    threshold,
    far: differentPairs ? falseAccepts / differentPairs : 0,
    tar: samePairs ? trueAccepts / samePairs : 0,
    falseAccepts,
    differentPairs,
    trueAccepts,
    samePairs,
  };
}
