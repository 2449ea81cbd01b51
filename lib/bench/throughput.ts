/**
 * Throughput and memory measurements of training steps and inference (the `bench` task).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { buildEmbeddingModel } from "../models/mod.ts";
import type { BackboneName } from "../models/mod.ts";
import type { ReplicaSpec } from "../train/replica.ts";
import { createReplicas, LocalReplica } from "../train/replica_pool.ts";
import { type StepBatch, trainStep } from "../train/train_step.ts";

/** Options shared by the measurements. */
export interface ThroughputOptions {
  /** Images per step (default 8). */
  batch?: number;
  /** Input size (default 112). */
  inputSize?: number;
  /** ArcHead classes (default 1000). */
  numClasses?: number;
  /** Embedding size (default 512; MobileFaceNet's own default is 128). */
  embdShape?: number;
  /** MobileFaceNet width / MobileNetV2 alpha (default 1; the demo's MobileFaceNet: 0.5). */
  width?: number;
  /** Timed steps run at least this long, in seconds (default 10). */
  seconds?: number;
  /** At least this many timed steps (default 3). */
  minSteps?: number;
  /** Untimed warm-up steps (default 2: the first builds optimiser slots and caches). */
  warmup?: number;
  /** Called after each timed step, e.g. for a progress line. */
  onStep?: (step: number, ms: number) => void;
}

/** One measurement, as printed and written to `results/bench/*.jsonl`. */
export interface ThroughputResult {
  network: BackboneName;
  mode: "train" | "infer";
  backend: string;
  batch: number;
  steps: number;
  /** Images per second at the median step time (robust to the pauses of a shared VM). */
  imagesPerSec: number;
  /** Images per second over all timed steps (total images / total time). */
  meanImagesPerSec: number;
  /** Median milliseconds per step. */
  medianStepMs: number;
  /** Largest live tensor memory during one profiled step, bytes (tf.profile peakBytes; NaN for Worker replicas). */
  peakTensorBytes: number;
  /** Size of the wasm heap after the run (wasm only; it grows and never shrinks), bytes. */
  wasmHeapBytes: number | null;
  /** Trainable + non-trainable parameters of the embedding model (head excluded). */
  modelParams: number;
}

function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== "wasm") return null;
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return wasm?.HEAPU8?.buffer.byteLength ?? null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeSteps(
  run: () => Promise<void>,
  options: ThroughputOptions,
): Promise<number[]> {
  for (let i = 0; i < (options.warmup ?? 2); i++) await run();
  const times: number[] = [];
  const budget = (options.seconds ?? 10) * 1000;
  const t0 = performance.now();
  while (times.length < (options.minSteps ?? 3) || performance.now() - t0 < budget) {
    const s = performance.now();
    await run();
    times.push(performance.now() - s);
    options.onStep?.(times.length, times[times.length - 1]);
  }
  return times;
}

function summarize(
  network: BackboneName,
  mode: "train" | "infer",
  m: {
    batch: number;
    times: number[];
    profile: { peakBytes: number };
    modelParams: number;
    /** False: measured in Workers (this thread's backend and heap say nothing about them). */
    local?: boolean;
  },
): ThroughputResult {
  const total = m.times.reduce((a, b) => a + b, 0);
  return {
    network,
    mode,
    backend: tf.getBackend(),
    batch: m.batch,
    steps: m.times.length,
    imagesPerSec: m.batch / (median(m.times) / 1000),
    meanImagesPerSec: (m.batch * m.times.length) / (total / 1000),
    medianStepMs: median(m.times),
    peakTensorBytes: m.profile.peakBytes,
    wasmHeapBytes: m.local === false ? null : wasmHeapBytes(),
    modelParams: m.modelParams,
  };
}

function randomBatch(batch: number, size: number, classes: number) {
  return {
    images: tf.randomUniform([batch, size, size, 3], 0, 1, "float32", 1) as tf.Tensor4D, // [b,s,s,3]
    labels: tf.randomUniform([batch], 0, classes, "int32", 2) as tf.Tensor1D, // [b]
  };
}

/** Options of {@linkcode measureTraining}. */
export interface TrainingThroughputOptions extends ThroughputOptions {
  /**
   * Replicas training at once (default 1: one in this thread). More: one Worker each, through
   * the trainer's own replica pool, each taking `batch` images of a batch of `batch * replicas`,
   * exactly as `train_workers: N` trains; images/s is then the whole group's.
   */
  replicas?: number;
  /** Backend of Worker replicas (default "auto"); one replica uses this thread's backend. */
  backend?: string;
  /**
   * The replica spec to train (default {@linkcode benchSpec}; e.g. a config's `replicaSpec`).
   * Its network, input size, embedding, width and classes override the options'.
   */
  spec?: ReplicaSpec;
  /** Images per micro-batch (gradient accumulation, as `micro_batch_size`; default `batch`). */
  microBatch?: number;
}

/**
 * The replica spec the bench trains: the config defaults (ArcHead m 0.5 s 64, dropout 0.5,
 * arcface-tf2's L2 5e-4 on the embedding kernel, SGD momentum 0.9 Nesterov).
 */
export function benchSpec(
  network: BackboneName,
  m: { size: number; embdShape: number; classes: number; width?: number },
): ReplicaSpec {
  return {
    backbone: network,
    inputSize: m.size,
    embdShape: m.embdShape,
    width: m.width ?? 1,
    dropout: 0.5,
    modelWDecay: 5e-4,
    head: "ArcHead",
    numClasses: m.classes,
    margin: 0.5,
    scale: 64,
    seed: 1,
    momentum: 0.9,
    nesterov: true,
    decayAll: 0,
  };
}

/** A random batch as the pipeline delivers it: [n * S * S * 3] pixels in [0, 1], [n] labels. */
async function randomStepBatch(n: number, size: number, classes: number): Promise<StepBatch> {
  const images = tf.randomUniform([n, size, size, 3], 0, 1, "float32", 1); // [n, S, S, 3]
  const labels = tf.randomUniform([n], 0, classes, "int32", 2); // [n]
  try {
    return {
      images: await images.data() as Float32Array,
      labels: await labels.data() as Int32Array,
    };
  } finally {
    tf.dispose([images, labels]);
  }
}

/**
 * Measures training steps (ArcHead, random data) of one network with the trainer's own step
 * ({@linkcode trainStep}: replica gradients, sum, norm, NaN guard, SGD Nesterov update).
 * Each timed step has finished on every replica when it is timed.
 */
export async function measureTraining(
  network: BackboneName,
  options: TrainingThroughputOptions = {},
): Promise<ThroughputResult> {
  const batch = options.batch ?? 8, count = options.replicas ?? 1;
  const spec = options.spec ?? benchSpec(network, {
    size: options.inputSize ?? 112,
    embdShape: options.embdShape ?? (network === "MobileFaceNet" ? 128 : 512),
    classes: options.numClasses ?? 1000,
    width: options.width,
  });
  const size = spec.inputSize, classes = spec.numClasses;
  const replicas = await createReplicas(spec, { count, backend: options.backend });
  const data = await randomStepBatch(batch * count, size, classes);
  const step = {
    lr: 0.01,
    microBatch: Math.min(options.microBatch ?? batch, batch),
    gradClipNorm: null,
  };
  try {
    const run = async () => {
      await trainStep(replicas, data, step);
    };
    const times = await timeSteps(run, options);
    const local = replicas.length === 1 && replicas[0] instanceof LocalReplica
      ? replicas[0].replica
      : undefined;
    // Tensor memory can only be profiled in this thread (Workers have their own engines).
    const profile = local ? await tf.profile(run) : { peakBytes: NaN };
    return summarize(network, "train", {
      batch: batch * count,
      times,
      profile,
      modelParams: local ? local.model.countParams() : NaN,
      local: local !== undefined,
    });
  } finally {
    await Promise.all(replicas.map((r) => r.close()));
  }
}

/** Measures inference (BN in inference mode) of one network's embedding model. */
export async function measureInference(
  network: BackboneName,
  options: ThroughputOptions = {},
): Promise<ThroughputResult> {
  const batch = options.batch ?? 8, size = options.inputSize ?? 112;
  const embdShape = options.embdShape ?? (network === "MobileFaceNet" ? 128 : 512);
  const model = buildEmbeddingModel({
    backbone: network,
    inputSize: size,
    embdShape,
    width: options.width,
    seed: 1,
  });
  const data = randomBatch(batch, size, 2);
  try {
    const step = async () => {
      const emb = model.predict(data.images) as tf.Tensor; // [batch, embd]
      await emb.data();
      emb.dispose();
    };
    const times = await timeSteps(step, options);
    const profile = await tf.profile(() => tf.dispose(model.predict(data.images)));
    return summarize(network, "infer", { batch, times, profile, modelParams: model.countParams() });
  } finally {
    tf.dispose([data.images, data.labels]);
    model.dispose();
  }
}
