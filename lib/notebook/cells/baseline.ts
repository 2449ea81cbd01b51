/**
 * Section 0: the pretrained model evaluated as it is, the log's hyper-parameter table, and
 * its numbers beside ours.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic_write.ts";
import { loadConfig, type TrainConfig } from "../../config/mod.ts";
import {
  type EvalReport,
  evaluateModel,
  type EvaluateModelOptions,
  saveEvalReport,
} from "../../eval/mod.ts";
import {
  type Displayable,
  type DisplayTarget,
  type DistanceHistogram,
  distanceHistogramChart,
  evalProgress,
  groupedBars,
  htmlTable,
  LiveProgress,
  percent,
  rocChart,
} from "../display/mod.ts";
import type { NotebookProfile } from "./profiles.ts";
import { LOG_BASELINE } from "./research_log.ts";
import { distanceHistograms } from "./pair_distances.ts";

/** Section 0's evaluation with each set's pair-distance histogram. */
export interface BaselineReport extends EvalReport {
  /** One per set, same order (also saved as `distances.json` beside eval.json). */
  histograms: DistanceHistogram[];
}

/**
 * The log's hyper-parameter table (general / train param / test param), with the values of
 * our `arc_res50.yaml` and the log's test column.
 */
export function hyperParameterTable(config: TrainConfig): Displayable {
  const p = percent(2);
  const rows = [
    ["batch_size", config.batch_size, "binary_img", config.binary_img, "mode", "fit"],
    ["input_size", config.input_size, "num_classes", config.num_classes, "loss", "Softmax"],
    ["embd_size", config.embd_shape, "num_samples", config.num_samples, "data", "acc"],
    ["sub_name", config.sub_name, "epochs", config.epochs, "lfw", p(LOG_BASELINE.lfw)],
    [
      "back_bone",
      config.backbone_type,
      "base_lr",
      config.base_lr,
      "AgeDB-30",
      p(LOG_BASELINE.agedb_30),
    ],
    ["head_type", config.head_type, "w_decay", config.w_decay, "CFP-FP", p(LOG_BASELINE.cfp_fp)],
    ["is_ccrop", config.is_ccrop, "save_steps", config.save_steps, "k-face", "None"],
  ].map(([a, av, b, bv, c, cv]) => ({
    general: a as string,
    " ": String(av),
    "train param": b as string,
    "  ": String(bv),
    "test param": c as string,
    "   ": String(cv),
  }));
  return htmlTable(rows, {
    caption:
      "Hyper-parameters (configs/arc_res50.yaml = arcface-tf2's values; test column from the log, %)",
  });
}

/** arcface-tf2's config as this project ships it (`configs/arc_res50.yaml`). */
export async function arcfaceTf2Config(profile: NotebookProfile): Promise<TrainConfig> {
  return await loadConfig(join(profile.root, "configs", "arc_res50.yaml"));
}

/** The profile in a small table: what runs, on which data, where results go. */
export function profileTable(profile: NotebookProfile): Displayable {
  return htmlTable([
    { item: "profile", value: `${profile.name}: ${profile.description}` },
    { item: "section 0 model", value: profile.baseline.what },
    { item: "verification sets", value: profile.sets.map((s) => s.label).join("; ") },
    { item: "section 1 config", value: profile.reproduceConfig.slice(profile.root.length + 1) },
    { item: "section 2 config", value: profile.kfaceConfig.slice(profile.root.length + 1) },
    { item: "second data set (section 2)", value: profile.secondSet.note },
  ], { caption: "Notebook profile (ARCFACE_PROFILE)" });
}

/**
 * Evaluates the profile's pretrained model on its baseline sets; saves
 * `results/<name>/eval.json` and the pair-distance histograms as `distances.json` beside it.
 * Progress: one display on `options.display` (`Deno.jupyter`) updated in place, one final line
 * per set, the full log in `results/<name>/eval_progress.log`.
 */
export async function evaluateBaseline(
  profile: NotebookProfile,
  options: { display?: DisplayTarget; onProgress?: EvaluateModelOptions["onProgress"] } = {},
): Promise<BaselineReport> {
  const dir = join(profile.root, "results", profile.baseline.resultsName);
  const live = new LiveProgress(options.display, { logPath: join(dir, "eval_progress.log") });
  const show = evalProgress(live);
  let report;
  try {
    report = await evaluateModel(
      profile.baseline.model,
      profile.baselineSets.map((s) => s.spec),
      {
        modelOptions: profile.baseline.modelOptions,
        onProgress: (p) => {
          show(p);
          options.onProgress?.(p);
        },
        keepEmbeddings: true,
      },
    );
  } catch (e) {
    live.set("failed", `failed: ${e instanceof Error ? e.message : e}`);
    throw e;
  } finally {
    await live.finish();
  }
  const histograms = await distanceHistograms(report, profile.baselineSets.map((s) => s.spec));
  // The embeddings served the histograms; eval.json stays the size it always was.
  for (const s of report.sets) delete s.embeddings;
  await saveEvalReport(report, dir);
  await writeFileAtomic(join(dir, "distances.json"), JSON.stringify(histograms) + "\n");
  return { ...report, histograms };
}

/** Our numbers for each baseline set, with the log's section-0 number beside them. */
export function baselineTable(report: EvalReport, profile: NotebookProfile): Displayable {
  const p = percent(2);
  const rows = report.sets.map((s, i) => {
    const set = profile.baselineSets[i];
    const log = set.logKey ? LOG_BASELINE[set.logKey] : null;
    return {
      set: set.label,
      pairs: s.pairs,
      "ours: accuracy %": `${p(s.metrics.accuracy)} ± ${p(s.metrics.std)}`,
      AUC: s.metrics.auc.toFixed(4),
      "TAR@FAR=1e-3 %": p(s.metrics.tarAtFar["1e-3"].tar),
      threshold: s.metrics.meanThreshold.toFixed(3),
      "log (arcface-tf2 ResNet50) %": log === null ? null : p(log),
      collapsed: s.metrics.collapse.collapsed ? "YES" : "no",
    };
  });
  return htmlTable(rows, {
    caption: `Section 0 — ${report.modelInfo.name}, flip ${report.flip ? "on" : "off"}, ` +
      `${report.modelInfo.channelOrder}, ${report.workers} workers on ${report.modelInfo.backend}`,
  });
}

/** ROC curves of every set of an evaluation. */
export function reportRoc(report: EvalReport, title: string): Displayable {
  return rocChart(
    report.sets.map((s) => ({ name: s.set, fpr: s.metrics.roc.fpr, tpr: s.metrics.roc.tpr })),
    { title },
  );
}

/** Bars: ours beside the log's, per set that has a log number. */
export function baselineBars(report: EvalReport, profile: NotebookProfile): Displayable {
  const cats = report.sets.map((_, i) => profile.baselineSets[i].label);
  return groupedBars(cats, [
    { name: `ours: ${report.modelInfo.name}`, values: report.sets.map((s) => s.metrics.accuracy) },
    {
      name: "log: arcface-tf2 ResNet50",
      values: profile.baselineSets.map((s) => (s.logKey ? LOG_BASELINE[s.logKey] : null)),
    },
  ], { title: "Section 0: verification accuracy", range: [0.5, 1] });
}

/** The pair-distance histogram of one set of the evaluation (default: the first). */
export function distanceChart(report: BaselineReport, options: { set?: number } = {}): Displayable {
  return distanceHistogramChart(report.histograms[options.set ?? 0]);
}
