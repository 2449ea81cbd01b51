/**
 * Verification metrics on plain numbers (no TF.js): L2 normalisation and XNorm, pair
 * distances, insightface's 10-fold accuracy, ROC / AUC / VAL@FAR, collapse detection and the
 * all-in-one {@linkcode evaluateVerification}.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./numpy_stats.ts";
export * from "./folds.ts";
export * from "./normalize.ts";
export * from "./distances.ts";
export * from "./verification.ts";
export * from "./roc.ts";
export * from "./collapse.ts";
export * from "./evaluate_pairs.ts";
