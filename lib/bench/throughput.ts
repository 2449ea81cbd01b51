/**
 * Throughput and memory measurements of training steps and inference (the `bench` task).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { buildEmbeddingModel } from "../models/mod.ts";
import type { BackboneName } from "../models/mod.ts";
import { ArcHead } from "../heads/mod.ts";
import { disposeStepResult, trainStep } from "../train/train_step.ts";

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
  /** Largest live tensor memory during one profiled step, bytes (tf.profile peakBytes). */
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
  m: { batch: number; times: number[]; profile: { peakBytes: number }; modelParams: number },
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
    wasmHeapBytes: wasmHeapBytes(),
    modelParams: m.modelParams,
  };
}

function randomBatch(batch: number, size: number, classes: number) {
  return {
    images: tf.randomUniform([batch, size, size, 3], 0, 1, "float32", 1) as tf.Tensor4D, // [b,s,s,3]
    labels: tf.randomUniform([batch], 0, classes, "int32", 2) as tf.Tensor1D, // [b]
  };
}

/**
 * Measures SGD-with-momentum training steps (ArcHead, random data) of one network.
 * Reads the loss back every step so that each timed step really finished.
 */
export async function measureTraining(
  network: BackboneName,
  options: ThroughputOptions = {},
): Promise<ThroughputResult> {
  const batch = options.batch ?? 8, size = options.inputSize ?? 112;
  const classes = options.numClasses ?? 1000;
  const embdShape = options.embdShape ?? (network === "MobileFaceNet" ? 128 : 512);
  const model = buildEmbeddingModel({ backbone: network, inputSize: size, embdShape, seed: 1 });
  const head = new ArcHead({ embdShape, numClasses: classes, seed: 1 });
  const optimizer = tf.train.momentum(0.01, 0.9, true);
  const data = randomBatch(batch, size, classes);
  const net = { model, head, optimizer };
  try {
    const step = async () => {
      const r = trainStep(net, data);
      await r.loss.data();
      disposeStepResult(r);
    };
    const times = await timeSteps(step, options);
    const profile = await tf.profile(() => disposeStepResult(trainStep(net, data)));
    return summarize(network, "train", { batch, times, profile, modelParams: model.countParams() });
  } finally {
    tf.dispose([data.images, data.labels]);
    optimizer.dispose();
    head.dispose();
    model.dispose();
  }
}

/** Measures inference (BN in inference mode) of one network's embedding model. */
export async function measureInference(
  network: BackboneName,
  options: ThroughputOptions = {},
): Promise<ThroughputResult> {
  const batch = options.batch ?? 8, size = options.inputSize ?? 112;
  const embdShape = options.embdShape ?? (network === "MobileFaceNet" ? 128 : 512);
  const model = buildEmbeddingModel({ backbone: network, inputSize: size, embdShape, seed: 1 });
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
