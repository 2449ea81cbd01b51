/**
 * Learning-rate schedules: arcface-tf2's constant LR, a step schedule and linear decay, each
 * with an optional linear warm-up. Pure numbers: the trainer asks for the LR of every step.
 *
 * @module
 */

/** The schedule kinds (config key `lr_schedule`). */
export type LrScheduleKind = "constant" | "step" | "linear";

/** A schedule's parameters (config keys `base_lr`, `lr_steps`, `lr_gamma`, `lr_end`, `warmup_steps`). */
export interface LrSchedule {
  /** Which schedule. */
  kind: LrScheduleKind;
  /** LR after warm-up (arcface-tf2: 0.01, constant). */
  baseLr: number;
  /** Total optimiser steps of the run (linear decay reaches `end` at the last one). */
  totalSteps: number;
  /** step: the steps at which the LR is multiplied by `gamma` (strictly increasing). */
  steps?: readonly number[];
  /** step: the factor (default 0.1). */
  gamma?: number;
  /** linear: the LR at the last step (default 0). */
  end?: number;
  /** Steps of linear warm-up from baseLr / warmup to baseLr (default 0). */
  warmup?: number;
}

/**
 * The LR of the 0-based optimiser `step`.
 *
 * - constant: `baseLr`;
 * - step: `baseLr * gamma^k`, k = how many of `steps` are <= step;
 * - linear: from `baseLr` at the end of warm-up to `end` at step `totalSteps - 1`;
 * - warm-up (any kind): `baseLr * (step + 1) / warmup` for the first `warmup` steps.
 */
export function learningRateAt(step: number, schedule: LrSchedule): number {
  const warmup = schedule.warmup ?? 0;
  if (step < warmup) return schedule.baseLr * (step + 1) / warmup;
  switch (schedule.kind) {
    case "constant":
      return schedule.baseLr;
    case "step": {
      const passed = (schedule.steps ?? []).filter((s) => s <= step).length;
      return schedule.baseLr * (schedule.gamma ?? 0.1) ** passed;
    }
    case "linear": {
      const end = schedule.end ?? 0;
      const span = schedule.totalSteps - 1 - warmup;
      if (span <= 0) return schedule.baseLr;
      const t = Math.min(1, (step - warmup) / span);
      return schedule.baseLr + (end - schedule.baseLr) * t;
    }
  }
}
