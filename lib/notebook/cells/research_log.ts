/**
 * The numbers of the user's research log (`research_log.en.md`), shown beside ours. They are
 * the log's own results on LFW / AgeDB-30 / CFP-FP (fractions), not anything this project ran.
 *
 * @module
 */

/** A verification result of the log for each benchmark set. */
export interface LogResult {
  /** Section heading in the log. */
  section: string;
  lfw: number;
  agedb_30: number;
  cfp_fp: number;
}

/** Section 0: arcface-tf2's pretrained ResNet50 used as it is. */
export const LOG_BASELINE: LogResult = {
  section: "0. Use the model from GitHub as it is",
  lfw: 0.9935,
  agedb_30: 0.9503,
  cfp_fp: 0.9036,
};

/** Section 1: re-trained on MS1M with the same hyper-parameters. */
export const LOG_REPRODUCE: LogResult = {
  section: "1. Re-implement that model ourselves",
  lfw: 0.9710,
  agedb_30: 0.8520,
  cfp_fp: 0.8757,
};

/** Section 2: MS1M + K-Face (400 Korean identities), same hyper-parameters. */
export const LOG_KFACE: LogResult = {
  section: "2. Train again with the K-Face dataset added",
  lfw: 0.9705,
  agedb_30: 0.8560,
  cfp_fp: 0.8817,
};

/** The log's data set sizes (sections 2.1). */
export const LOG_DATASETS = {
  ms1m: { identities: 85742, images: 5822653 },
  kface: { identities: 400, images: 49491 },
  merged: { identities: 86142, images: 5872144 },
} as const;

/** The benchmark sets of the log, with their `eval.json` keys in the `paper` profile. */
export const LOG_SETS = [
  { key: "lfw", label: "LFW" },
  { key: "agedb_30", label: "AgeDB-30" },
  { key: "cfp_fp", label: "CFP-FP" },
] as const;
