/**
 * The whole verification evaluation of one pair set in one result object: insightface's
 * 10-fold accuracy, exact ROC / AUC, VAL at FAR 1e-3 and 1e-4, XNorm and a collapse check.
 *
 * @module
 */
import { MetricInputError } from "./errors.ts";
import { detectCollapse } from "./collapse.ts";
import type { CollapseReport } from "./collapse.ts";
import { pairDistances } from "./distances.ts";
import { l2NormalizeRows, xnorm } from "./normalize.ts";
import { downsampleRoc, rocAuc, rocCurve, tarAtFar } from "./roc.ts";
import type { RocCurve } from "./roc.ts";
import { type RatesAtThreshold, ratesAtThreshold, verificationAccuracy } from "./verification.ts";

/** Options of {@linkcode evaluateVerification}. */
export interface EvaluateVerificationOptions {
  /** Embedding size. */
  dim: number;
  /** [P * 2] row indices: pair k is (pairs[2k], pairs[2k + 1]). */
  pairs: ArrayLike<number>;
  /** [P] labels, true / 1 = same identity. */
  issame: ArrayLike<boolean | number>;
  /** Fold id per pair when the set gives its folds (default: contiguous KFold(10)). */
  folds?: ArrayLike<number>;
  /** Raw embeddings (any row count, e.g. plain and flipped, 2N rows) for XNorm. */
  rawEmbeddings?: ArrayLike<number>;
  /** Most ROC points stored (default 500). */
  maxRocPoints?: number;
}

/** VAL at one FAR target. */
export interface TarAtFarSummary {
  /** Mean VAL (TAR) over folds. */
  tar: number;
  /** Population std (ddof=0) of the fold VALs. */
  std: number;
  /** Mean held-out FAR. */
  far: number;
}

/** What {@linkcode evaluateVerification} returns (JSON-safe except NaN stats of a one-class set). */
export interface VerificationEvaluation {
  pairs: number;
  accuracy: number;
  /** Population std (ddof=0) of the fold accuracies. */
  std: number;
  meanThreshold: number;
  bestThresholds: number[];
  foldAccuracies: number[];
  /**
   * FAR and TAR over the whole set at `meanThreshold` (rule `dist < threshold`): what a user of
   * that threshold gets (`deno task verify` prints them). Absent in eval.json files written
   * before it was added.
   */
  atMeanThreshold: RatesAtThreshold;
  /** Exact AUC (full curve, before downsampling). */
  auc: number;
  /** The exact ROC downsampled to at most `maxRocPoints` points (rule `dist <= threshold`). */
  roc: RocCurve;
  tarAtFar: { "1e-3": TarAtFarSummary; "1e-4": TarAtFarSummary };
  /** Mean raw embedding norm; null without `rawEmbeddings`. */
  xnorm: number | null;
  collapse: CollapseReport;
}

/**
 * Evaluates embeddings [N * dim] on pairs. The embeddings are L2-normalised here (a no-op for
 * already normalised ones), then squared distances go through every metric of this folder.
 * Throws a {@linkcode MetricInputError} for bad shapes, indices, labels or non-finite values.
 */
export function evaluateVerification(
  embeddings: ArrayLike<number>,
  options: EvaluateVerificationOptions,
): VerificationEvaluation {
  const { dim, pairs, issame, folds } = options;
  const normed = l2NormalizeRows(embeddings, dim);
  const distances = pairDistances(normed, dim, pairs);
  if (issame.length !== distances.length) {
    throw new MetricInputError(
      `pairs holds ${distances.length} pairs but issame has ${issame.length} labels`,
    );
  }
  const acc = verificationAccuracy(distances, issame, { folds });
  const fullRoc = rocCurve(distances, issame);
  const val = (target: number): TarAtFarSummary => {
    const r = tarAtFar(distances, issame, target, { folds });
    return { tar: r.tar, std: r.std, far: r.far };
  };
  return {
    pairs: distances.length,
    accuracy: acc.accuracy,
    std: acc.std,
    meanThreshold: acc.meanThreshold,
    bestThresholds: acc.bestThresholds,
    foldAccuracies: acc.foldAccuracies,
    atMeanThreshold: ratesAtThreshold(distances, issame, acc.meanThreshold),
    auc: rocAuc(fullRoc),
    roc: downsampleRoc(fullRoc, options.maxRocPoints ?? 500),
    tarAtFar: { "1e-3": val(1e-3), "1e-4": val(1e-4) },
    xnorm: options.rawEmbeddings ? xnorm(options.rawEmbeddings, dim) : null,
    collapse: detectCollapse(distances, issame, { embeddings: normed, dim, pairs }),
  };
}
