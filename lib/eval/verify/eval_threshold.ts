/**
 * The decision threshold of "are these two the same person?", read from the model's own
 * evaluation (`results/<name>/eval.json`, written by `deno task eval`), never typed into code.
 *
 * Which eval.json belongs to a model (first rule that applies):
 * 1. `eval` given: that file (its `model` must be the model asked for, when one is asked for);
 * 2. `<resultsDir>/<default name>/eval.json`, the folder `deno task eval` writes by default
 *    (`face-api`, or a model.json's folder name), when it evaluated the same model and holds
 *    the set asked for;
 * 3. else the newest (`time`) `<resultsDir>/<any>/eval.json` of the same model holding the set.
 * "Same model": the same built-in name (`face-api`), or the same model.json path once both are
 * resolved (against the current folder and against the results folder's parent).
 *
 * The threshold is the set's `metrics.meanThreshold`: the mean of the best thresholds of the 10
 * folds (squared L2 of L2-normalised embeddings, "same" when `dist < threshold`), with the FAR
 * and TAR measured at it on that whole set (`metrics.atMeanThreshold`; an older eval.json lacks
 * them: the result says which command refreshes it). The alignment template is the one the set's
 * crops have (`sets[].alignment`, or known for the named LFW sets), else the model's default.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import type { AlignTemplateName } from "../../data/align/mod.ts";
import type { EvalReport, SetResult } from "../evaluate_model.ts";
import { setAlignment } from "../resolve_set.ts";
import type { RatesAtThreshold } from "../metrics/verification.ts";

/** No usable evaluation for a model: the message names the command that produces one. */
export class EvaluationNotFoundError extends Error {
  override name = "EvaluationNotFoundError";
}

/** The threshold a verification uses, and everything about where it came from. */
export interface VerifyThreshold {
  /** The model spec the evaluation ran (`face-api` or a model.json path). */
  model: string;
  /** Squared-L2 threshold: "same person" when `distance < value`. */
  value: number;
  /** How `value` was computed. */
  rule: "mean best threshold over 10 folds";
  /** The eval.json it came from. */
  file: string;
  /** The set within it. */
  set: string;
  /** Pairs in that set. */
  pairs: number;
  /** The folds' best thresholds (`value` is their mean). */
  bestThresholds: number[];
  /** The set's 10-fold accuracy and its std. */
  accuracy: number;
  std: number;
  /** FAR / TAR at `value` on that set, with counts; null in an older eval.json. */
  rates: Omit<RatesAtThreshold, "threshold"> | null;
  /** When `rates` is null: the command that refreshes the eval.json. */
  refresh?: string;
  /** Whether the evaluation used the flip test (verification does the same). */
  flip: boolean;
  /** The options the evaluation loaded the model with (e.g. `{inputScale}`). */
  modelOptions?: Record<string, unknown>;
  /** The alignment template to use, and why. */
  template: AlignTemplateName;
  templateSource: string;
  /** Things a user must know (a collapsed model, a template other than the evaluation's). */
  warnings: string[];
}

/** Options of {@linkcode loadVerifyThreshold}. */
export interface LoadVerifyThresholdOptions {
  /** An explicit eval.json (rule 1). */
  eval?: string;
  /** Where to search (default `results`). */
  resultsDir?: string;
  /** The set of the eval.json (default: its first set). */
  set?: string;
  /** Override the alignment template (a warning says the threshold was measured otherwise). */
  template?: AlignTemplateName;
}

/** The results folder `deno task eval` writes for `model` by default (cli/eval.ts's rule). */
export function defaultEvalName(model: string): string {
  return model === "face-api" ? "face-api" : basename(dirname(model)) || "model";
}

/** The command that evaluates `model` on `set` into its default results folder. */
export function evalCommand(model: string, set = "lfw"): string {
  return `deno task eval --model ${model} --sets ${set}`;
}

/** Whether two model specs name the same model (see the module doc). */
export function sameModel(a: string, b: string, resultsDir = "results"): boolean {
  if (a === b) return true;
  if (!a.endsWith(".json") || !b.endsWith(".json")) return false;
  const root = dirname(resolve(resultsDir));
  return [resolve(b), resolve(root, b)].includes(resolve(a));
}

async function readReport(path: string): Promise<EvalReport> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new EvaluationNotFoundError(
      `Cannot read the evaluation '${path}': ${why}. Give the eval.json that ` +
        "`deno task eval` wrote (results/<name>/eval.json).",
    );
  }
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (e) {
    throw new EvaluationNotFoundError(
      `The evaluation '${path}' is not JSON (${(e as Error).message}); rerun \`deno task eval\`.`,
    );
  }
  const ok = r !== null && typeof r === "object" && typeof (r as EvalReport).model === "string" &&
    Array.isArray((r as EvalReport).sets);
  if (!ok) {
    throw new EvaluationNotFoundError(
      `'${path}' is not an eval.json of \`deno task eval\` (no 'model' and 'sets' fields).`,
    );
  }
  return r as EvalReport;
}

/** The matching eval.json of `model` by rules 2 and 3, or undefined. */
async function searchReports(
  model: string,
  resultsDir: string,
  set: string | undefined,
): Promise<{ path: string; report: EvalReport } | undefined> {
  const found: { path: string; report: EvalReport }[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(resultsDir)];
  } catch {
    return undefined; // no results folder yet
  }
  for (const e of entries.sort((x, y) => x.name.localeCompare(y.name))) {
    if (!e.isDirectory) continue;
    const path = join(resultsDir, e.name, "eval.json");
    let report: EvalReport;
    try {
      report = await readReport(path);
    } catch {
      continue; // not an evaluation folder, or a broken file: not this model's
    }
    if (!sameModel(model, report.model, resultsDir)) continue;
    if (set !== undefined && !report.sets.some((s) => s.set === set)) continue;
    found.push({ path, report });
  }
  const preferred = found.find((f) => basename(dirname(f.path)) === defaultEvalName(model));
  if (preferred) return preferred;
  return found.sort((x, y) => String(y.report.time).localeCompare(String(x.report.time)))[0];
}

/** The default template of a model whose evaluation set's geometry is unknown. */
function modelDefaultTemplate(model: string): { template: AlignTemplateName; why: string } {
  return model === "face-api"
    ? {
      template: "arcface_96",
      why: "face-api's default: its dlib re-crop was fitted on the shared LFW crops",
    }
    : { template: "arcface", why: "the default for a model.json (MS1M's geometry)" };
}

/**
 * The threshold of `report`'s set (default: its first) with its FAR/TAR, flip setting and
 * alignment template. Throws an {@linkcode EvaluationNotFoundError} when the set is not in it.
 */
export function thresholdFromReport(
  report: EvalReport,
  file: string,
  options: { set?: string; template?: AlignTemplateName } = {},
): VerifyThreshold {
  const s: SetResult | undefined = options.set === undefined
    ? report.sets[0]
    : report.sets.find((x) => x.set === options.set);
  if (!s || typeof s.metrics?.meanThreshold !== "number") {
    const have = report.sets.map((x) => x.set).join(", ") || "none";
    throw new EvaluationNotFoundError(
      `The evaluation '${file}' has no set '${options.set ?? "(any)"}' (it has: ${have}); ` +
        `run \`${evalCommand(report.model, options.set)}\` or pick one with --set.`,
    );
  }
  const m = s.metrics;
  const warnings: string[] = [];
  if (m.collapse?.collapsed) {
    warnings.push(
      `the evaluation flagged this model's embeddings as COLLAPSED on ${s.set}: ` +
        "its decisions are meaningless",
    );
  }
  const measured = s.alignment ?? setAlignment(s.set);
  const fallback = modelDefaultTemplate(report.model);
  let template = measured?.template ?? fallback.template;
  let templateSource = measured
    ? `the geometry of ${s.set}'s crops (${measured.source}), which the threshold was measured on`
    : `${fallback.why}; ${s.set}'s geometry is not recorded`;
  if (options.template && options.template !== template) {
    warnings.push(
      `aligning with '${options.template}' although the threshold was measured on ` +
        `'${template}' crops: distances may be off`,
    );
    template = options.template;
    templateSource = "--template";
  }
  const r = m.atMeanThreshold;
  return {
    model: report.model,
    value: m.meanThreshold,
    rule: "mean best threshold over 10 folds",
    file,
    set: s.set,
    pairs: s.pairs,
    bestThresholds: m.bestThresholds,
    accuracy: m.accuracy,
    std: m.std,
    rates: r
      ? {
        far: r.far,
        tar: r.tar,
        falseAccepts: r.falseAccepts,
        differentPairs: r.differentPairs,
        trueAccepts: r.trueAccepts,
        samePairs: r.samePairs,
      }
      : null,
    ...(r ? {} : {
      refresh: `${evalCommand(report.model, s.set)} --name ${basename(dirname(file))}` +
        ` --out ${dirname(dirname(file))}`,
    }),
    flip: report.flip !== false,
    ...(report.modelOptions ? { modelOptions: report.modelOptions } : {}),
    template,
    templateSource,
    warnings,
  };
}

/**
 * The verification threshold of `model` (`face-api` or a model.json; undefined: the model of
 * `options.eval`, else face-api) from its evaluation, found by the module doc's rules.
 * Throws an {@linkcode EvaluationNotFoundError} naming `deno task eval ...` when there is none.
 */
export async function loadVerifyThreshold(
  model: string | undefined,
  options: LoadVerifyThresholdOptions = {},
): Promise<VerifyThreshold> {
  const resultsDir = options.resultsDir ?? "results";
  if (options.eval) {
    const report = await readReport(options.eval);
    if (model !== undefined && !sameModel(model, report.model, resultsDir)) {
      throw new EvaluationNotFoundError(
        `The evaluation '${options.eval}' is of model '${report.model}', not '${model}'; give ` +
          `that model's eval.json or run \`${evalCommand(model, options.set)}\`.`,
      );
    }
    return thresholdFromReport(report, options.eval, options);
  }
  const spec = model ?? "face-api";
  const hit = await searchReports(spec, resultsDir, options.set);
  if (!hit) {
    throw new EvaluationNotFoundError(
      `No evaluation of model '${spec}'${options.set ? ` on set '${options.set}'` : ""} in ` +
        `${resultsDir}/*/eval.json: the threshold comes from the model's own evaluation. Run ` +
        `\`${evalCommand(spec, options.set)}\` first (or pass --eval path/to/eval.json).`,
    );
  }
  return thresholdFromReport(hit.report, hit.path, options);
}
