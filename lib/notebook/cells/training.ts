/**
 * Sections 1.2-1.3 / 2.2-2.3: train a section's config with live progress, then its curves and
 * verification results read back from `metrics.jsonl`.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { loadConfig, NOTEBOOK_TABLE_KEYS, type TrainConfig } from "../../config/mod.ts";
import { type Displayable, htmlTable, percent, trainingCurves } from "../display/mod.ts";
import { readMetrics, trainModel, type TrainResult } from "../../train/mod.ts";
import type { NotebookProfile } from "./profiles.ts";
import { trainProgress } from "../display/progress.ts";
import { type DisplayTarget, LiveProgress } from "../display/live_progress.ts";

/** Which training section. */
export type Section = "reproduce" | "kface";

/**
 * Loads a section's config; its `eval_sets` are the profile's verification sets, and its
 * relative paths are taken from the repository root (a notebook's kernel runs in notebooks/).
 */
export async function sectionConfig(
  profile: NotebookProfile,
  section: Section,
): Promise<TrainConfig> {
  const path = section === "reproduce" ? profile.reproduceConfig : profile.kfaceConfig;
  const config = await loadConfig(path, {
    overrides: {
      eval_sets: profile.sets.map((s) => s.spec),
      results_dir: join(profile.root, "results"),
    },
  });
  const abs = (p: string) => (isAbsolute(p) ? p : join(profile.root, p));
  return { ...config, train_dataset: abs(config.train_dataset) };
}

/** Section 2's view of section 1: its finished run, or an error saying to run 1_reproduce. */
export async function requireSectionRun(
  profile: NotebookProfile,
  section: Section,
): Promise<SectionRun> {
  const config = await sectionConfig(profile, section);
  const run = await readSectionRun(config);
  if (!run) {
    throw new Error(
      `section ${section === "reproduce" ? 1 : 2} has not been run with the '${profile.name}' ` +
        `profile (no finished run in ${join(config.results_dir, config.sub_name)}): run ` +
        `notebooks/${section === "reproduce" ? "1_reproduce" : "2_kface"}.ipynb first ` +
        `(deno task reproduce runs all three in order)`,
    );
  }
  return run;
}

/** The hyper-parameters a section trains with (the keys declared `notebook`), as a table. */
export function configTable(config: TrainConfig): Displayable {
  return htmlTable(
    NOTEBOOK_TABLE_KEYS.map((k) => ({ key: k, value: JSON.stringify(config[k]) })),
    { caption: `Resolved config of ${config.sub_name} (saved with every checkpoint)` },
  );
}

/** A finished (or resumed-and-finished) run with its metrics records. */
export interface SectionRun {
  config: TrainConfig;
  result: TrainResult;
  records: Record<string, unknown>[];
}

/**
 * Trains `config` (resuming its run folder when a checkpoint exists), showing progress as one
 * display on `options.display` (`Deno.jupyter`) updated in place, its full log appended to
 * `<run folder>/train_progress.log`; returns the result and the run's metrics.
 */
export async function trainSection(
  config: TrainConfig,
  options: { display?: DisplayTarget } = {},
): Promise<SectionRun> {
  const logPath = join(config.results_dir, config.sub_name, "train_progress.log");
  const live = new LiveProgress(options.display, { logPath });
  let result;
  try {
    result = await trainModel(config, { onEvent: trainProgress(live) });
  } catch (e) {
    live.set("failed", `failed: ${e instanceof Error ? e.message : e}`);
    throw e;
  } finally {
    await live.finish();
  }
  return { config, result, records: await readMetrics(result.metricsPath) };
}

/** Reads a finished run of a section (for section 2's comparison with section 1). */
export async function readSectionRun(config: TrainConfig): Promise<SectionRun | undefined> {
  const runDir = join(config.results_dir, config.sub_name);
  try {
    const records = await readMetrics(join(runDir, "metrics.jsonl"));
    const done = records.findLast((r) => r.type === "done");
    if (!done) return undefined;
    return {
      config,
      records,
      result: {
        runDir,
        step: done.step as number,
        reason: done.reason as TrainResult["reason"],
        exportPath: join(runDir, "export", "model.json"),
        checkpoint: "",
        metricsPath: join(runDir, "metrics.jsonl"),
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * The charts of one or more runs, in this order: loss; batch accuracy of the plain cosines with
 * the verification accuracy (the margin accuracy only where it says something); the mean
 * target angle; the learning rate.
 */
export function runCharts(runs: readonly { name: string; run: SectionRun }[]): Displayable[] {
  const series = runs.map((r) => ({ name: r.name, records: r.run.records }));
  return [
    trainingCurves(series, "loss", { title: "Training loss" }),
    trainingCurves(series, "accuracy", {
      title: "Batch accuracy of the plain cosines (no margin) and verification accuracy",
    }),
    trainingCurves(series, "angle", {
      title: "Mean angle between each face and its identity's centre (what the margin moves)",
    }),
    trainingCurves(series, "lr", { title: "Learning rate" }),
  ];
}

/** The last `eval` record of a run: `{set: accuracy...}` (undefined before any evaluation). */
export function finalEval(
  run: SectionRun,
): {
  step: number;
  sets: { set: string; accuracy: number; std: number; auc: number; collapsed: boolean }[];
} | undefined {
  const e = run.records.findLast((r) => r.type === "eval");
  return e as ReturnType<typeof finalEval>;
}

/** Numbers of a run for tables: steps, images seen, minutes, final loss, final accuracies. */
export function runSummary(run: SectionRun): Record<string, string | number> {
  const steps = run.records.filter((r) => r.type === "step");
  const last = steps.at(-1) ?? {};
  const first = steps[0] ?? {};
  const ev = finalEval(run);
  const p = percent(2);
  const out: Record<string, string | number> = {
    run: run.config.sub_name,
    backbone: `${run.config.backbone_type} x${run.config.width}`,
    steps: run.result.step,
    "images seen": run.result.step * run.config.batch_size,
    minutes: ((last.elapsedSec as number ?? 0) / 60).toFixed(1),
    "first loss": (first.loss as number ?? NaN).toFixed(2),
    "final loss": (last.loss as number ?? NaN).toFixed(2),
  };
  for (const s of ev?.sets ?? []) out[s.set] = `${p(s.accuracy)} ± ${p(s.std)}`;
  return out;
}

/** One row per run (see {@linkcode runSummary}). */
export function runTable(runs: readonly SectionRun[], caption: string): Displayable {
  return htmlTable(runs.map(runSummary), { caption });
}
