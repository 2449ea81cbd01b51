/**
 * Progress of long notebook cells: turns trainer / evaluator / converter events into the keyed
 * lines of a {@linkcode LiveProgress} (one display updated in place, the full log in a file).
 * While a phase runs its line says how far it is; when it ends the line becomes its final
 * state ("lfw: embedded 7,701 images in 3m24s at 37.8 img/s"), which is what the report shows.
 *
 * @module
 */
import type { ConvertProgress } from "../../data/convert/progress.ts";
import { formatDuration, type TrainEvent } from "../../train/train_events.ts";
import { type LiveProgress, repoRelative } from "./live_progress.ts";

/** `7,701`. */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A trainer event handler: the run, the current step (then the run's totals), the last eval. */
export function trainProgress(live: LiveProgress): (e: TrainEvent) => void {
  let firstStep: { step: number; loss: number; elapsedSec: number } | undefined;
  let lastStep: Extract<TrainEvent, { type: "step" }> | undefined;
  return (e) => {
    switch (e.type) {
      case "prepare":
        live.set("prepare", `preparing data: ${e.progress.done}/${e.progress.total} images`);
        break;
      case "start":
        live.delete("prepare");
        live.set(
          "run",
          `training: ${e.totalSteps} steps from step ${e.startStep}` +
            (e.resumedFrom ? ` (resumed from ${repoRelative(e.resumedFrom)})` : "") +
            `, ${e.replicas} replica(s) on ${e.backend}`,
        );
        break;
      case "warning":
        live.warn(e.message);
        break;
      case "step":
        firstStep ??= e;
        lastStep = e;
        live.set(
          "step",
          `step ${e.step}/${e.totalSteps}  loss ${e.loss.toFixed(3)}  lr ${e.lr.toPrecision(3)}  ` +
            `${e.imagesPerSec.toFixed(1)} img/s  elapsed ${formatDuration(e.elapsedSec)}  ETA ${
              formatDuration(e.etaSec)
            }`,
        );
        break;
      case "eval_start":
        live.set("eval", `evaluation at step ${e.step}: running...`);
        break;
      case "eval":
        live.set(
          "eval",
          `evaluation at step ${e.step}: ` +
            e.sets.map((s) =>
              `${s.set} ${(100 * s.accuracy).toFixed(2)}% (AUC ${s.auc.toFixed(3)})`
            )
              .join(", "),
        );
        break;
      case "done":
        live.set(
          "step",
          firstStep && lastStep
            ? `done at step ${e.step} (${e.reason}): steps ${firstStep.step}-${lastStep.step} in ` +
              `${formatDuration(lastStep.elapsedSec)} (${
                lastStep.imagesPerSec.toFixed(1)
              } img/s at the end), loss ${firstStep.loss.toFixed(3)} -> ${lastStep.loss.toFixed(3)}`
            : `done at step ${e.step} (${e.reason}): no step to take`,
        );
    }
  };
}

/** What the evaluator reports (see `EvaluateModelOptions.onProgress`). */
export interface EvalProgressEvent {
  set: string;
  phase: string;
  done: number;
  total: number;
  imagesPerSec?: number;
}

/** An evaluator progress handler: one line per set, its final state once embedded. */
export function evalProgress(live: LiveProgress): (p: EvalProgressEvent) => void {
  // A phase starts where the previous event left off (its first event comes after a batch).
  let phaseKey = "";
  let phaseStart = performance.now();
  let lastEvent = phaseStart;
  return (p) => {
    const now = performance.now();
    const key = `${p.set}/${p.phase}`;
    if (key !== phaseKey) {
      phaseKey = key;
      phaseStart = lastEvent;
    }
    lastEvent = now;
    if (p.phase === "embed" && p.done === p.total) {
      const sec = (now - phaseStart) / 1000;
      live.set(
        p.set,
        `${p.set}: embedded ${count(p.total)} images in ${formatDuration(sec)} at ${
          (p.total / Math.max(sec, 1e-3)).toFixed(1)
        } img/s`,
      );
      return;
    }
    live.set(
      p.set,
      `${p.set}: ${p.phase} ${p.done}/${p.total}` +
        (p.imagesPerSec ? ` (${p.imagesPerSec.toFixed(1)} img/s)` : ""),
    );
  };
}

/** A converter progress handler (TFRecord writing): one line, its totals at the end. */
export function convertProgress(live: LiveProgress): (p: ConvertProgress) => void {
  return (p) => {
    const skipped = p.skipped ? `, ${count(p.skipped)} skipped` : "";
    live.set(
      "convert",
      p.done === p.total
        ? `converted ${count(p.total)} images in ${formatDuration(p.elapsedSec)} at ${
          p.imagesPerSec.toFixed(1)
        } img/s (${(p.bytes / 1e6).toFixed(1)} MB${skipped})`
        : `converting: ${p.done}/${p.total} images (${p.imagesPerSec.toFixed(1)} img/s, ETA ${
          formatDuration(p.etaSec)
        }${skipped})`,
    );
  };
}
