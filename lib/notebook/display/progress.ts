/**
 * Progress for long notebook cells: turns trainer / evaluator events into a few text lines
 * (printed by the notebook through the function it passes, so the library itself never prints).
 * The notebook runner echoes these lines to the terminal while the cell runs.
 *
 * @module
 */
import type { TrainEvent } from "../../train/mod.ts";
import { formatDuration } from "../../train/mod.ts";

/** Where lines go (a notebook passes `console.log`). */
export type PrintLine = (line: string) => void;

/** A trainer event handler that prints a line every `everySec` seconds and every result. */
export function trainProgress(
  print: PrintLine,
  options: { everySec?: number } = {},
): (e: TrainEvent) => void {
  const every = (options.everySec ?? 30) * 1000;
  let last = -Infinity;
  return (e) => {
    switch (e.type) {
      case "start":
        print(
          `training: ${e.totalSteps} steps from step ${e.startStep}` +
            (e.resumedFrom ? ` (resumed from ${e.resumedFrom})` : "") +
            `, ${e.replicas} replica(s) on ${e.backend}`,
        );
        break;
      case "warning":
        print(`warning: ${e.message}`);
        break;
      case "step": {
        const now = performance.now();
        if (now - last < every && e.step !== e.totalSteps) return;
        last = now;
        print(
          `step ${e.step}/${e.totalSteps}  loss ${e.loss.toFixed(3)}  lr ${e.lr.toPrecision(3)}  ` +
            `${e.imagesPerSec.toFixed(1)} img/s  elapsed ${formatDuration(e.elapsedSec)}  ETA ${
              formatDuration(e.etaSec)
            }`,
        );
        break;
      }
      case "eval":
        for (const s of e.sets) {
          print(
            `step ${e.step}: ${s.set} ${(100 * s.accuracy).toFixed(2)}% (AUC ${s.auc.toFixed(3)})`,
          );
        }
        break;
      case "done":
        print(`done at step ${e.step} (${e.reason})`);
    }
  };
}

/** An evaluator progress handler that prints a line every `everySec` seconds. */
export function evalProgress(
  print: PrintLine,
  options: { everySec?: number } = {},
): (p: { set: string; phase: string; done: number; total: number; imagesPerSec?: number }) => void {
  const every = (options.everySec ?? 20) * 1000;
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    if (now - last < every && p.done !== p.total) return;
    last = now;
    print(
      `${p.set}: ${p.phase} ${p.done}/${p.total}` +
        (p.imagesPerSec ? ` (${p.imagesPerSec.toFixed(1)} img/s)` : ""),
    );
  };
}
