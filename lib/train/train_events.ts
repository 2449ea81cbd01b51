/**
 * What the trainer reports while it runs: the CLI draws a progress bar from these, notebooks
 * draw live charts; the same numbers go to `metrics.jsonl`.
 *
 * @module
 */
import type { ConvertProgress } from "../data/convert/mod.ts";

/** One optimiser step's numbers (also a `metrics.jsonl` line with `type: "step"`). */
export interface StepMetrics {
  /** Steps done (1-based: the step just taken). */
  step: number;
  /** Total steps of the run. */
  totalSteps: number;
  /** arcface-tf2's epoch: ceil(step / steps_per_epoch). */
  epoch: number;
  /** Mean loss of the batch (cross-entropy + regulariser). */
  loss: number;
  /** Mean softmax cross-entropy. */
  crossEntropy: number;
  /** Fraction of the batch whose largest logit (margin included) is its label. */
  accuracy: number;
  /** The same without the margin (largest cosine); null for a head without one (NormHead). */
  cosineAccuracy: number | null;
  /** Mean angle between each embedding and its class centre, degrees; null likewise. */
  targetAngle: number | null;
  /** Learning rate used for this step. */
  lr: number;
  /** Global L2 norm of the gradient before clipping. */
  gradNorm: number;
  /** Training images per second over the last logged interval. */
  imagesPerSec: number;
  /** Seconds since this process started training. */
  elapsedSec: number;
  /** Estimated seconds left (steps left at the current speed). */
  etaSec: number;
}

/** Verification results logged during and after training (`type: "eval"`). */
export interface EvalMetrics {
  /** Step at which the model was evaluated. */
  step: number;
  /** One entry per configured set. */
  sets: {
    set: string;
    accuracy: number;
    std: number;
    auc: number;
    threshold: number;
    collapsed: boolean;
  }[];
  /** Seconds the evaluation took. */
  seconds: number;
}

/** Why a run ended. */
export type StopReason = "completed" | "max_steps" | "max_minutes" | "stopped";

/** Everything the trainer reports, in order. */
export type TrainEvent =
  | { type: "prepare"; progress: ConvertProgress }
  | { type: "warning"; message: string }
  | {
    type: "start";
    runDir: string;
    startStep: number;
    totalSteps: number;
    stepsPerEpoch: number;
    resumedFrom: string | null;
    replicas: number;
    backend: string;
  }
  | ({ type: "step" } & StepMetrics)
  | { type: "checkpoint"; step: number; path: string }
  | { type: "eval_start"; step: number }
  | ({ type: "eval" } & EvalMetrics)
  | { type: "done"; step: number; reason: StopReason; exportPath: string };

/** `1h02m`, `3m05s`, `42s`: for ETAs. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return "?";
  const s = Math.round(sec);
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}m`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
