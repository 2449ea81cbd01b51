/**
 * The training loop: config -> data -> replicas -> steps (gradient accumulation over
 * micro-batches, data-parallel replicas, LR schedule, weight decay, clipping, NaN/Inf guard)
 * -> JSONL metrics, periodic verification, atomic checkpoints, resume, export.
 *
 * @module
 */
import { join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import {
  configToYaml,
  microBatchSize,
  saveResolvedConfig,
  stepsPerEpoch,
  totalSteps,
  type TrainConfig,
} from "../config/mod.ts";
import { createTrainPipeline, type PipelineState } from "../data/pipeline/mod.ts";
import { learningRateAt, type LrSchedule } from "./lr_schedule.ts";
import { MetricsLog } from "./metrics_log.ts";
import { prepareConfigData } from "./prepare_data.ts";
import { createReplicas, type ReplicaHandle } from "./replica_pool.ts";
import {
  restoreReplicas,
  saveReplicaCheckpoint,
  syncReplicas,
  type TrainPosition,
} from "./replica_checkpoint.ts";
import { loadResumeCheckpoint } from "./resume_checkpoint.ts";
import { evaluateDuringTraining } from "./train_eval.ts";
import { trainStep } from "./train_step.ts";
import { augmentOptions, replicaSpec } from "./spec_from_config.ts";
import { initialWeightsFrom } from "./init_from.ts";
import type { StopReason, TrainEvent } from "./train_events.ts";
import { acquireRunLock, type RunLock, staleLockMessage } from "./run_lock.ts";
import { etaSeconds, TrainRate } from "./train_rate.ts";

/** Raised when the loss or the gradient stops being finite. */
export class TrainingDivergedError extends Error {
  override name = "TrainingDivergedError";
}

/** Options of {@linkcode trainModel}. */
export interface TrainOptions {
  /** Progress and results as they happen. */
  onEvent?: (event: TrainEvent) => void;
  /** Abort to stop cleanly after the current step (a checkpoint is written). */
  signal?: AbortSignal;
  /** Resume from the run's latest checkpoint when there is one (default true). */
  resume?: boolean;
}

/** What {@linkcode trainModel} returns. */
export interface TrainResult {
  /** `<results_dir>/<sub_name>`. */
  runDir: string;
  /** Steps done in total. */
  step: number;
  /** Why training ended. */
  reason: StopReason;
  /** The exported embedding model's model.json. */
  exportPath: string;
  /** The last checkpoint folder. */
  checkpoint: string;
  /** `metrics.jsonl`. */
  metricsPath: string;
}

/**
 * Trains `config` end to end, resuming from the run's latest checkpoint when there is one.
 *
 * @throws {RunLockedError} another live run holds the run folder (its PID is named); a stale
 *   lock of a dead process is taken over with a warning event (also in metrics.jsonl).
 * @throws {TrainDataError} missing/empty data, too few classes.
 * @throws {CheckpointMismatchError} the run's checkpoint was made with another config.
 * @throws {TrainingDivergedError} NaN/Inf loss or gradient (the last good checkpoint is kept).
 */
export async function trainModel(
  config: TrainConfig,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const runDir = join(config.results_dir, config.sub_name);
  // Before anything in the folder is read or written: a second run must not sweep the first's
  // in-progress checkpoint as a leftover, nor truncate its metrics.jsonl.
  const lock = await acquireRunLock(runDir);
  try {
    return await trainLocked(config, options, runDir, lock);
  } finally {
    lock.release();
  }
}

async function trainLocked(
  config: TrainConfig,
  options: TrainOptions,
  runDir: string,
  lock: RunLock,
): Promise<TrainResult> {
  const emit = options.onEvent ?? (() => {});
  const takeover = lock.tookOver && {
    type: "lock_takeover",
    lockFile: lock.path,
    previous: lock.tookOver,
    time: new Date().toISOString(),
  };
  if (lock.tookOver) {
    emit({ type: "warning", message: staleLockMessage(lock.path, lock.tookOver) });
  }
  const data = await prepareConfigData(config, {
    onProgress: (progress) => emit({ type: "prepare", progress }),
  });
  for (const message of data.warnings) emit({ type: "warning", message });

  const ckpt = options.resume === false ? undefined : await loadResumeCheckpoint(runDir, config);
  await saveResolvedConfig(config, runDir);
  const configYaml = configToYaml(config);

  const backend = await setupBackend(config.backend);
  const replicas: ReplicaHandle[] = await createReplicas(replicaSpec(config), {
    count: config.train_workers,
    backend: config.backend,
  });
  const perEpoch = stepsPerEpoch(config), total = totalSteps(config);
  const position = ckpt?.state as TrainPosition | undefined;
  let step = position?.step ?? 0;
  let pipelineState: PipelineState = position?.pipeline ??
    { seed: config.seed, epoch: 0, recordIndex: 0 };
  const log = await MetricsLog.open(join(runDir, "metrics.jsonl"), ckpt ? step : undefined);
  const pipeline = await createTrainPipeline(data.shards, {
    batchSize: config.batch_size,
    seed: config.seed,
    augment: augmentOptions(config),
    imageSize: config.input_size,
    numClasses: config.num_classes,
    workers: config.data_workers,
    imageRoot: config.image_root ?? undefined,
    startFrom: ckpt ? pipelineState : undefined,
  });
  const schedule: LrSchedule = {
    kind: config.lr_schedule,
    baseLr: config.base_lr,
    totalSteps: total,
    steps: config.lr_steps,
    gamma: config.lr_gamma,
    end: config.lr_end,
    warmup: config.warmup_steps,
  };
  let lastCheckpoint = ckpt?.dir ?? "";
  let savedStep = ckpt ? step : -1;
  let reason: StopReason = "completed";
  let exportPath = "";
  try {
    if (ckpt) await restoreReplicas(replicas, ckpt);
    else if (config.init_from) {
      // A new run from a TF2 checkpoint (arcface-tf2's or export-ckpt's): every replica starts
      // from its weights; a resumed run has its own checkpoint instead.
      const init = await initialWeightsFrom(config);
      await Promise.all(replicas.map((r) => r.load(init)));
    }
    emit({
      type: "start",
      runDir,
      startStep: step,
      totalSteps: total,
      stepsPerEpoch: perEpoch,
      resumedFrom: ckpt?.dir ?? null,
      replicas: replicas.length,
      backend: backend.name,
    });
    if (takeover) await log.write(takeover);
    await log.write({
      type: "start",
      step,
      totalSteps: total,
      resumedFrom: ckpt?.dir ?? null,
      time: new Date().toISOString(),
    });
    const save = async () => {
      lastCheckpoint = await saveReplicaCheckpoint(runDir, replicas, {
        position: { step, pipeline: pipelineState },
        configYaml,
        keep: config.keep_checkpoints,
      });
      savedStep = step;
      emit({ type: "checkpoint", step, path: lastCheckpoint });
    };
    const evaluate = async () => {
      await syncReplicas(replicas);
      exportPath = await replicas[0].exportModel(
        join(runDir, "export"),
        exportMetadata(config, step),
      );
      emit({ type: "eval_start", step });
      const ev = await evaluateDuringTraining(exportPath, config, step);
      emit({ type: "eval", ...ev });
      await log.write({ type: "eval", ...ev });
    };

    const t0 = performance.now();
    // Speed and ETA from training time only: evaluations and saves are paused out of the rate,
    // and the evaluations still to come are added to the ETA at the duration of the last one.
    const rate = new TrainRate();
    let evalSec: number | undefined;
    const timedEvaluate = async () => {
      const t = performance.now();
      await rate.pause(evaluate);
      evalSec = (performance.now() - t) / 1000;
    };
    const evalsLeftAfter = (s: number) =>
      config.eval_sets.length === 0
        ? 0
        : 1 + (config.eval_interval > 0
          ? Math.floor((total - 1) / config.eval_interval) - Math.floor(s / config.eval_interval)
          : 0);
    const micro = microBatchSize(config);
    while (step < total) {
      if (options.signal?.aborted) {
        reason = "stopped";
        break;
      }
      if (config.max_minutes !== null && (performance.now() - t0) / 60000 >= config.max_minutes) {
        reason = "max_minutes";
        break;
      }
      const it = await pipeline.next();
      if (it.done) throw new Error("the training pipeline ended before the last step");
      const batch = it.value;
      const lr = learningRateAt(step, schedule);
      const { loss, crossEntropy: ce, accuracy, gradNorm, applied } = await trainStep(
        replicas,
        batch,
        { lr, microBatch: micro, gradClipNorm: config.grad_clip_norm },
      );
      if (!applied) {
        await log.write({ type: "diverged", step: step + 1, loss, gradNorm, lr });
        throw new TrainingDivergedError(
          `step ${step + 1}: the ${Number.isFinite(loss) ? "gradient norm" : "loss"} is ` +
            `${Number.isFinite(loss) ? gradNorm : loss} (lr ${lr}). Training stopped without ` +
            `applying it; the last good checkpoint ${lastCheckpoint || "(none yet)"} is kept. ` +
            `Lower base_lr, add warmup_steps, or set grad_clip_norm, then run again to resume.`,
        );
      }
      step++;
      pipelineState = batch.state;
      rate.add(batch.labels.length);
      if (step % config.log_steps === 0 || step === total) {
        const now = performance.now();
        const imagesPerSec = rate.take();
        const m = {
          step,
          totalSteps: total,
          epoch: Math.ceil(step / perEpoch),
          loss,
          crossEntropy: ce,
          accuracy,
          lr,
          gradNorm,
          imagesPerSec,
          elapsedSec: (now - t0) / 1000,
          etaSec: etaSeconds((total - step) * config.batch_size, imagesPerSec, {
            evalsLeft: evalsLeftAfter(step),
            evalSec,
          }),
        };
        emit({ type: "step", ...m });
        await log.write({ type: "step", ...m, time: new Date().toISOString() });
      }
      if (step % config.save_steps === 0) await rate.pause(save);
      if (
        config.eval_interval > 0 && step % config.eval_interval === 0 && step < total &&
        config.eval_sets.length > 0
      ) await timedEvaluate();
    }
    if (
      step >= total && reason === "completed" && config.max_steps !== null &&
      config.max_steps < config.epochs * perEpoch
    ) reason = "max_steps";
    if (savedStep !== step) await save();
    if (config.eval_sets.length > 0) await evaluate();
    else {
      await syncReplicas(replicas);
      exportPath = await replicas[0].exportModel(
        join(runDir, "export"),
        exportMetadata(config, step),
      );
    }
    await log.write({ type: "done", step, reason, time: new Date().toISOString() });
    emit({ type: "done", step, reason, exportPath });
    return { runDir, step, reason, exportPath, checkpoint: lastCheckpoint, metricsPath: log.path };
  } finally {
    await pipeline.close();
    log.close();
    await Promise.all(replicas.map((r) => r.close()));
  }
}

function exportMetadata(config: TrainConfig, step: number): Record<string, unknown> {
  return {
    arcface: {
      sub_name: config.sub_name,
      backbone_type: config.backbone_type,
      step,
      input: { size: config.input_size, channelOrder: "RGB", scale: "0-1" },
      embd_shape: config.embd_shape,
    },
  };
}
