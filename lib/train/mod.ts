/**
 * Training: configs -> data -> replicas -> the loop (accumulation, data parallelism, LR
 * schedules, weight decay, clipping, NaN guard) -> metrics.jsonl, checkpoints, resume, export.
 * See docs/training.md.
 *
 * @module
 */
export * from "./train_step.ts";
export * from "./lr_schedule.ts";
export * from "./grad_math.ts";
export * from "./replica.ts";
export * from "./replica_pool.ts";
export * from "./replica_checkpoint.ts";
export * from "./metrics_log.ts";
export * from "./prepare_data.ts";
export * from "./train_events.ts";
export * from "./spec_from_config.ts";
export * from "./train_eval.ts";
export * from "./train_run.ts";
export * from "./run_lock.ts";
export * from "./train_rate.ts";
export * from "./checkpoint/mod.ts";
export * from "./export/mod.ts";
