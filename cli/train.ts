/**
 * `deno task train --config configs/x.yaml [--set key=value ...]`
 *
 * Trains a config end to end (see docs/training.md): progress bar on stderr, JSON lines in
 * `results/<sub_name>/metrics.jsonl`, checkpoints in `results/<sub_name>/checkpoints/`, the
 * embedding model in `results/<sub_name>/export/`. Running the same command again resumes from
 * the latest checkpoint (use another sub_name, or delete the run folder, to start over). Ctrl-C stops after the current step with a checkpoint (twice: at once).
 *
 * @module
 */
import { loadConfig, parseOverride, type TrainConfig } from "../lib/config/mod.ts";
import { formatDuration, type TrainEvent, trainModel } from "../lib/train/mod.ts";
import { createStatusLine } from "./status_line.ts";
import { guardCli, parseCliOrHelp, UsageError } from "./cli_main.ts";

const USAGE = `usage: deno task train --config configs/x.yaml [--set key=value ...]

  --config   the training config (YAML; see docs/config.md)
  --set      override one key, e.g. --set batch_size=64 (repeatable)
Rerun the same command to resume from the latest checkpoint. See docs/training.md.`;

function fail(message: string, code = 1): never {
  console.error(`train: ${message}`);
  Deno.exit(code);
}

guardCli("train", USAGE, { beforeExit: () => status.done() });
const { values } = parseCliOrHelp(Deno.args, {
  config: { type: "string" },
  set: { type: "string", multiple: true, default: [] },
});
if (!values.config) throw new UsageError("--config <configs/x.yaml> is required");

let config: TrainConfig;
try {
  const overrides = Object.fromEntries(values.set.map((s) => parseOverride(s)));
  config = await loadConfig(values.config, { overrides });
} catch (e) {
  fail((e as Error).message, 2);
}

const status = createStatusLine();
const controller = new AbortController();
let interrupts = 0;
// SIGINT (Ctrl-C) and SIGTERM stop cleanly after the step, which also releases the run folder's
// lock; a second signal exits at once (the lock is removed on exit too; kill -9 leaves a stale
// lock that the next run takes over).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    if (++interrupts > 1) Deno.exit(130);
    status.done();
    console.error(
      `train: ${signal}: stopping after this step (a checkpoint is written); ` +
        `Ctrl-C again to quit now`,
    );
    controller.abort();
  });
}

function bar(frac: number, width = 24): string {
  const fill = Math.round(Math.min(1, frac) * width);
  return `[${"#".repeat(fill)}${".".repeat(width - fill)}]`;
}

function show(e: TrainEvent): void {
  switch (e.type) {
    case "prepare":
      status.update(
        `preparing ${config.train_dataset}: ${e.progress.done}/${e.progress.total} images`,
        e.progress.done === e.progress.total,
      );
      break;
    case "warning":
      status.done();
      console.error(`train: warning: ${e.message}`);
      break;
    case "start":
      status.done();
      console.error(
        `train: ${config.sub_name}: ${config.backbone_type} + ${config.head_type}, ` +
          `${e.totalSteps} steps (${e.stepsPerEpoch}/epoch), batch ${config.batch_size}, ` +
          `${e.replicas} replica(s) on ${e.backend}` +
          (e.resumedFrom ? `, resuming at step ${e.startStep} from ${e.resumedFrom}` : ""),
      );
      break;
    case "step":
      status.update(
        `${bar(e.step / e.totalSteps)} ${(100 * e.step / e.totalSteps).toFixed(0).padStart(3)}% ` +
          `step ${e.step}/${e.totalSteps} ep ${e.epoch} loss ${e.loss.toFixed(3)} ` +
          `acc ${e.accuracy.toFixed(3)} lr ${e.lr.toPrecision(3)} ${
            e.imagesPerSec.toFixed(1)
          } img/s ` +
          `ETA ${formatDuration(e.etaSec)}`,
        e.step === e.totalSteps,
      );
      break;
    case "checkpoint":
      status.done();
      console.error(`train: step ${e.step}: checkpoint ${e.path}`);
      break;
    case "eval_start":
      status.update(`step ${e.step}: evaluating on ${config.eval_sets.join(", ")}...`, true);
      break;
    case "eval":
      status.done();
      for (const s of e.sets) {
        console.error(
          `train: step ${e.step}: ${s.set} ${(100 * s.accuracy).toFixed(2)}% +- ` +
            `${(100 * s.std).toFixed(2)} (AUC ${s.auc.toFixed(4)}, ${e.seconds.toFixed(0)} s)` +
            (s.collapsed ? "  !!! EMBEDDINGS COLLAPSED !!!" : ""),
        );
      }
      break;
    case "done":
      status.done();
      console.error(`train: done at step ${e.step} (${e.reason}); model: ${e.exportPath}`);
  }
}

// A failure ends through guardCli: typed errors as their message, others with "failed:".
const result = await trainModel(config, {
  onEvent: show,
  signal: controller.signal,
});
console.log(JSON.stringify(result));
