/**
 * Verification during training: the exported embedding model is evaluated on the config's
 * `eval_sets` with the evaluator of `lib/eval` (same protocol as `deno task eval`).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrainConfig } from "../config/mod.ts";
import { evaluateModel } from "../eval/mod.ts";
import type { EvalMetrics } from "./train_events.ts";

/** A config's eval set spec, with bare `.bin` names looked up in `test_dataset`. */
export function resolveEvalSet(spec: string, config: TrainConfig): string {
  if (spec.endsWith(".bin") && !existsSync(spec) && config.test_dataset) {
    const inTest = join(config.test_dataset, spec);
    if (existsSync(inTest)) return inTest;
  }
  return spec;
}

/** Evaluates `modelJson` on the config's eval sets and returns the summary numbers. */
export async function evaluateDuringTraining(
  modelJson: string,
  config: TrainConfig,
  step: number,
): Promise<EvalMetrics> {
  const t0 = performance.now();
  const report = await evaluateModel(
    modelJson,
    config.eval_sets.map((s) => resolveEvalSet(s, config)),
    { flip: config.eval_flip, backend: config.backend },
  );
  return {
    step,
    sets: report.sets.map((s) => ({
      set: s.set,
      accuracy: s.metrics.accuracy,
      std: s.metrics.std,
      auc: s.metrics.auc,
      threshold: s.metrics.meanThreshold,
      collapsed: s.metrics.collapse.collapsed,
    })),
    seconds: (performance.now() - t0) / 1000,
  };
}
