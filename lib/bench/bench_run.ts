/**
 * Our side of `deno task bench`: each case's training step and inference at 1 and N threads.
 * What "N threads" means depends on the backend, since that is how each one uses N cores:
 * - `native` (oneDNN): one process with N OpenMP threads (a child process per thread count,
 *   `OMP_NUM_THREADS=N`, as a run would set it);
 * - any other (wasm: one core per instance): 1 = this thread; N = N training replicas in Workers
 *   (the trainer's replica pool, as `train_workers: N`: the batch split N ways) and N inference
 *   processes at once (each with the whole batch: their img/s add up).
 *
 * @module
 */
import { NATIVE_BACKEND } from "../backend/native/mod.ts";
import type { BenchCase } from "./bench_cases.ts";
import { BENCH_CHILD, runBenchChild, runMeasureChild } from "./bench_child.ts";
import { measureInference, measureTraining, type ThroughputResult } from "./throughput.ts";

/** One of our measurements. */
export interface OursRow extends ThroughputResult {
  /** The case's label (network, or `network (config)`). */
  label: string;
  /** Cores used: OpenMP threads (native) or replicas / processes (others). */
  threads: number;
  /** How the cores were used, e.g. "1 thread", "2 OpenMP threads", "2 Workers", "2 processes". */
  how: string;
  /** Each process's own images/s (parallel inference). */
  perReplica?: number[];
}

/** A progress event of {@linkcode measureOurs}. */
export interface BenchProgress {
  label: string;
  mode: "train" | "infer";
  threads: number;
  /** Timed step number and its ms (in-thread measurements only), or a state. */
  step?: number;
  ms?: number;
  state?: "start" | "done";
}

/** Options of {@linkcode measureOurs}. */
export interface MeasureOursOptions {
  /** The active backend's name (`native` measures in child processes). */
  backend: string;
  /** Thread counts (default [1, 2]). */
  threads?: number[];
  /** Timed seconds per training row (inference: half, at least 3 unless smaller). */
  seconds?: number;
  /** Fewest timed steps (default 3). */
  minSteps?: number;
  /** Untimed warm-up steps (default 2). */
  warmup?: number;
  modes?: ("train" | "infer")[];
  onProgress?: (p: BenchProgress) => void;
}

/** Raised when a measurement in a child process or Worker fails; says which and why. */
export class BenchError extends Error {
  override name = "BenchError";
}

function inferSeconds(seconds: number): number {
  return seconds >= 3 ? Math.max(3, seconds / 2) : seconds;
}

async function nativeRows(c: BenchCase, threads: number, o: Required<MeasureOursOptions>) {
  let why = "";
  const rows = await runMeasureChild({
    case: c,
    modes: o.modes,
    seconds: o.seconds,
    inferSeconds: inferSeconds(o.seconds),
    minSteps: o.minSteps,
    warmup: o.warmup,
  }, {
    env: { ARCFACE_BACKEND: NATIVE_BACKEND, OMP_NUM_THREADS: String(threads) },
    onFail: (w) => why = w,
  });
  if (rows === null) {
    throw new BenchError(`${c.label} on ${NATIVE_BACKEND} with ${threads} threads failed: ${why}`);
  }
  const how = threads === 1 ? "1 thread" : `${threads} OpenMP threads`;
  return (rows as unknown as ThroughputResult[]).map((r) => ({
    ...r,
    label: c.label,
    threads,
    how,
  }));
}

async function parallelInference(c: BenchCase, n: number, o: Required<MeasureOursOptions>) {
  let why = "";
  const m = {
    case: c,
    modes: ["infer" as const],
    seconds: inferSeconds(o.seconds),
    minSteps: o.minSteps,
    warmup: o.warmup,
  };
  const args = ["run", "-A", BENCH_CHILD, "measure", JSON.stringify(m)];
  const results = await Promise.all(
    Array.from(
      { length: n },
      () => runBenchChild(args, { ARCFACE_BACKEND: o.backend }, { onFail: (w) => why = w }),
    ),
  );
  if (results.some((r) => r === null)) {
    throw new BenchError(`${c.label}: one of ${n} inference processes failed: ${why}`);
  }
  const rows = results.map((r) => (r!.rows as ThroughputResult[])[0]);
  const perReplica = rows.map((r) => r.imagesPerSec);
  return {
    ...rows[0],
    imagesPerSec: perReplica.reduce((a, b) => a + b, 0),
    meanImagesPerSec: rows.reduce((a, r) => a + r.meanImagesPerSec, 0),
    batch: c.batch,
    steps: NaN,
    medianStepMs: NaN,
    label: c.label,
    threads: n,
    how: `${n} processes`,
    perReplica,
  };
}

async function inThreadRows(c: BenchCase, threads: number, o: Required<MeasureOursOptions>) {
  const rows: OursRow[] = [];
  const timing = { minSteps: o.minSteps, warmup: o.warmup };
  const onStep = (mode: "train" | "infer") => (step: number, ms: number) =>
    o.onProgress({ label: c.label, mode, threads, step, ms });
  if (o.modes.includes("train")) {
    // N replicas share the case's batch, as `train_workers: N` splits `batch_size` (the same
    // images per step as the peer's); a batch that does not split evenly gives each the whole.
    const per = c.batch % threads === 0 ? c.batch / threads : c.batch;
    const r = await measureTraining(c.network, {
      ...timing,
      seconds: o.seconds,
      batch: per,
      microBatch: Math.min(c.microBatch, per),
      spec: c.spec,
      replicas: threads,
      backend: o.backend,
      onStep: onStep("train"),
    });
    rows.push({
      ...r,
      label: c.label,
      threads,
      how: threads === 1 ? "1 thread" : `${threads} Workers`,
    });
  }
  if (o.modes.includes("infer")) {
    if (threads === 1) {
      const r = await measureInference(c.network, {
        ...timing,
        seconds: inferSeconds(o.seconds),
        batch: c.batch,
        width: c.spec.width,
        embdShape: c.spec.embdShape,
        onStep: onStep("infer"),
      });
      rows.push({ ...r, label: c.label, threads, how: "1 thread" });
    } else {
      rows.push(await parallelInference(c, threads, o));
    }
  }
  return rows;
}

/**
 * Measures one case at every thread count; rows in (threads, train, infer) order.
 *
 * @throws {BenchError} when a child process or Worker fails (which one, and its error).
 */
export async function measureOurs(
  c: BenchCase,
  options: MeasureOursOptions,
): Promise<OursRow[]> {
  const o: Required<MeasureOursOptions> = {
    threads: [1, 2],
    seconds: 10,
    minSteps: 3,
    warmup: 2,
    modes: ["train", "infer"],
    onProgress: () => {},
    ...options,
  };
  const rows: OursRow[] = [];
  for (const t of o.threads) {
    o.onProgress({ label: c.label, mode: o.modes[0], threads: t, state: "start" });
    rows.push(
      ...(o.backend === NATIVE_BACKEND ? await nativeRows(c, t, o) : await inThreadRows(c, t, o)),
    );
    o.onProgress({ label: c.label, mode: o.modes[o.modes.length - 1], threads: t, state: "done" });
  }
  return rows;
}
