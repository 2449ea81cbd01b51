/**
 * Training: configs -> data -> replicas -> the loop (accumulation, data parallelism, LR
 * schedules, weight decay, clipping, NaN guard) -> metrics.jsonl, checkpoints, resume, export.
 * See docs/training.md.
 *
 * This module exports what callers of a training run need; the loop's parts (replicas, train
 * step, LR schedule, gradient math, ...) are imported from their own files by the code that
 * uses them.
 *
 * @module
 */
export {
  TrainingDivergedError,
  trainModel,
  type TrainOptions,
  type TrainResult,
} from "./train_run.ts";
export {
  type EvalMetrics,
  formatDuration,
  type StepMetrics,
  type StopReason,
  type TrainEvent,
} from "./train_events.ts";
export { readMetrics } from "./metrics_log.ts";
export { CheckpointMismatchError } from "./resume_checkpoint.ts";
export { InitFromError, initialWeightsFrom } from "./init_from.ts";
export {
  prepareConfigData,
  type PrepareOptions,
  prepareTrainData,
  TrainDataError,
  type TrainDataInfo,
} from "./prepare_data.ts";
export { lockPathFor, RunLockedError, type RunLockInfo } from "./run_lock.ts";
export * from "./checkpoint/mod.ts";
export * from "./export/mod.ts";
