/**
 * The interpretation sections, written from the numbers a run actually produced (never from
 * expectations): what was reached, how it compares with the log, and why they differ.
 *
 * @module
 */
import { join } from "node:path";
import type { EvalReport } from "../../eval/mod.ts";
import { type Displayable, markdownOutput } from "../display/mod.ts";
import type { NotebookProfile } from "./profiles.ts";
import { LOG_BASELINE, LOG_KFACE, LOG_REPRODUCE } from "./research_log.ts";
import { finalEval, type SectionRun } from "./training.ts";

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function trend(run: SectionRun): string {
  const evals = run.records.filter((r) => r.type === "eval") as {
    step: number;
    sets: { set: string; accuracy: number; auc: number }[];
  }[];
  if (evals.length < 2) return "";
  const first = evals[0], last = evals.at(-1)!;
  const a = first.sets[0], b = last.sets[0];
  const best = evals.reduce((m, e) => (e.sets[0].auc > m.sets[0].auc ? e : m), first);
  return `On ${b.set}, verification went from ${pct(a.accuracy)} (AUC ${a.auc.toFixed(3)}) at ` +
    `step ${first.step} to ${pct(b.accuracy)} (AUC ${b.auc.toFixed(3)}) at step ${last.step}` +
    (best !== last
      ? `; the best AUC, ${
        best.sets[0].auc.toFixed(3)
      }, was at step ${best.step}: the later steps ` +
        `did not improve on it`
      : "") +
    ". ";
}

/**
 * Section 1.4: the reproduction against the log's section 1 and against section 0 (the
 * profile's baseline `eval.json`, when notebook 0 has run).
 */
export async function interpretReproduction(
  profile: NotebookProfile,
  run: SectionRun,
): Promise<Displayable> {
  let baseline: EvalReport | undefined;
  try {
    baseline = JSON.parse(
      await Deno.readTextFile(
        join(profile.root, "results", profile.baseline.resultsName, "eval.json"),
      ),
    );
  } catch {
    baseline = undefined;
  }
  const ev = finalEval(run);
  const steps = run.records.filter((r) => r.type === "step");
  const loss0 = steps[0]?.loss as number, loss1 = steps.at(-1)?.loss as number;
  const lines: string[] = [];
  if (!ev) {
    lines.push("The run logged no verification result; see its metrics.jsonl.");
  } else {
    const parts = ev.sets.map((s) =>
      `${s.set} ${pct(s.accuracy)} ± ${pct(s.std)} (AUC ${s.auc.toFixed(3)})`
    );
    lines.push(
      `- Our run (${run.config.backbone_type} x${run.config.width}, ${run.result.step} steps of ` +
        `${run.config.batch_size}, ${
          run.result.step * run.config.batch_size
        } images seen) reached ` +
        `${parts.join(", ")}. The training loss went from ${loss0?.toFixed(2)} to ${
          loss1?.toFixed(2)
        }.`,
    );
    if (ev.sets.some((s) => s.collapsed)) {
      lines.push("- **The embeddings collapsed**: the accuracy above is meaningless.");
    }
    const t = trend(run);
    if (t !== "") lines.push(`- ${t}`.trimEnd());
  }
  if (profile.name === "paper") {
    const lfw = ev?.sets.find((s) => /lfw/i.test(s.set))?.accuracy;
    if (lfw !== undefined) {
      const d = lfw - LOG_REPRODUCE.lfw, d0 = lfw - LOG_BASELINE.lfw;
      lines.push(
        `- Against the log: LFW ${pct(lfw)} vs the log's re-training ${pct(LOG_REPRODUCE.lfw)} ` +
          `(${d >= 0 ? "+" : ""}${(100 * d).toFixed(2)} points) and the published model ` +
          `${pct(LOG_BASELINE.lfw)} (${d0 >= 0 ? "+" : ""}${(100 * d0).toFixed(2)} points).`,
      );
    }
  } else {
    const seen = run.result.step * run.config.batch_size;
    const steps = run.records.filter((r) => r.type === "step");
    const minutes = ((steps.at(-1)?.elapsedSec as number ?? 0) / 60).toFixed(1);
    lines.push(
      `- These numbers are not comparable with the log's (${pct(LOG_REPRODUCE.lfw)} on LFW after ` +
        `5 epochs of MS1M, 5.8 M images): this run saw ${seen.toLocaleString("en-US")} images ` +
        `(${(seen / run.config.num_samples).toFixed(1)} passes over ${
          run.config.num_samples.toLocaleString("en-US")
        } ` +
        `images of ${run.config.num_classes.toLocaleString("en-US")} identities, ` +
        `${
          (run.config.num_samples / run.config.num_classes).toFixed(1)
        } per identity) in ${minutes} ` +
        `minutes on ${run.config.train_workers} CPU replica(s). It shows the pipeline end to end — ` +
        `conversion, training, checkpoints, verification — with the code that runs the paper ` +
        `profile on a GPU.`,
    );
  }
  const base = baseline?.sets.find((s) => ev?.sets.some((e) => e.set === s.set));
  const ours = ev?.sets.find((e) => e.set === base?.set);
  if (base && ours) {
    const gap = base.metrics.accuracy - ours.accuracy;
    lines.push(
      `- On the same set (${base.set}) the downloaded model of section 0 scored ` +
        `${pct(base.metrics.accuracy)}: ours is ${(100 * gap).toFixed(2)} points ` +
        `${gap >= 0 ? "below" : "above"} it` +
        (gap >= 0
          ? ` — as in the log, where re-training landed ${
            (100 * (LOG_BASELINE.lfw - LOG_REPRODUCE.lfw)).toFixed(2)
          } points below the published model on LFW.`
          : "."),
    );
  }
  return markdownOutput(lines.join("\n"));
}

/** Section 2.3's reading: what adding the second data set changed, per set. */
export function interpretKface(
  profile: NotebookProfile,
  s1: SectionRun,
  s2: SectionRun,
): Displayable {
  const e1 = finalEval(s1), e2 = finalEval(s2);
  const lines: string[] = [];
  for (const a of e1?.sets ?? []) {
    const b = e2?.sets.find((s) => s.set === a.set);
    if (!b) continue;
    const d = b.accuracy - a.accuracy;
    const noise = Math.max(a.std, b.std) / Math.sqrt(10);
    lines.push(
      `- ${a.set}: ${pct(a.accuracy)} without, ${
        pct(b.accuracy)
      } with the ${profile.secondSet.label} ` +
        `(${d >= 0 ? "+" : ""}${(100 * d).toFixed(2)} points; ` +
        (Math.abs(d) <= 2 * noise
          ? `within about two standard errors of the 10-fold mean (${
            (100 * noise).toFixed(2)
          }), i.e. no clear change`
          : `more than two standard errors of the 10-fold mean (${
            (100 * noise).toFixed(2)
          }) apart; one training run each, so run-to-run variation is not included`) +
        ").",
    );
  }
  const log =
    `the log's own change was LFW ${(100 * (LOG_KFACE.lfw - LOG_REPRODUCE.lfw)).toFixed(2)}, ` +
    `AgeDB-30 +${(100 * (LOG_KFACE.agedb_30 - LOG_REPRODUCE.agedb_30)).toFixed(2)}, ` +
    `CFP-FP +${(100 * (LOG_KFACE.cfp_fp - LOG_REPRODUCE.cfp_fp)).toFixed(2)} points`;
  lines.push(`- For reference, ${log} (400 identities added to 85,742).`);
  if (profile.name !== "paper") lines.push(`- ${profile.secondSet.note}`);
  return markdownOutput(lines.join("\n"));
}
