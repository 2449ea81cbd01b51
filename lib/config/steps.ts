/**
 * Step counts derived from a config (arcface-tf2: `steps_per_epoch = num_samples // batch_size`).
 *
 * @module
 */
import type { TrainConfig } from "./train_config.ts";

/** `floor(num_samples / batch_size)`, at least 1 (45,489 for MS1M at batch 128). */
export function stepsPerEpoch(
  config: Pick<TrainConfig, "num_samples" | "batch_size">,
): number {
  return Math.max(1, Math.floor(config.num_samples / config.batch_size));
}

/** `epochs * stepsPerEpoch`, capped by `max_steps` when set (227,445 for arcface-tf2's MS1M run). */
export function totalSteps(
  config: Pick<TrainConfig, "num_samples" | "batch_size" | "epochs" | "max_steps">,
): number {
  const steps = config.epochs * stepsPerEpoch(config);
  return config.max_steps === null ? steps : Math.min(steps, config.max_steps);
}

/** Images per forward/backward pass: `micro_batch_size ?? batch_size`. */
export function microBatchSize(
  config: Pick<TrainConfig, "micro_batch_size" | "batch_size">,
): number {
  return config.micro_batch_size ?? config.batch_size;
}
