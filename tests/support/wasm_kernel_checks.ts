/**
 * Helpers for the kernel tests: a backend (wasm, or webgpu in tests/webgpu_kernels_test.ts)
 * against the pure-JS cpu backend.
 *
 * Error measure used throughout: `relError(a, b) = max_i |a_i - b_i| / max(max_i |b_i|, 1e-6)`
 * (max absolute difference relative to the largest reference magnitude), with `b` computed by
 * the pure-JS cpu backend. Tests require relError <= {@linkcode TOLERANCE}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "../../lib/backend/wasm_kernels/mod.ts";
import { registerNative } from "../../lib/backend/native/mod.ts";
import { mulberry32 } from "../../lib/random/seeded_rng.ts";

/** Maximum allowed {@linkcode relError} between a backend's and cpu's results. */
export const TOLERANCE = 1e-4;

/** A test's result does not match its reference. */
export class MismatchError extends Error {
  override name = "MismatchError";
}

let ready = false;

/** Why the native backend is not registered here (null once it is). */
export let nativeUnavailable: string | null = "setupBackends() not called yet";

/**
 * Initialises wasm (with our kernels), cpu and, where oneDNN loads, native once; leaves wasm
 * active. Native tests skip themselves when {@linkcode nativeUnavailable} is set.
 */
export async function setupBackends(): Promise<void> {
  if (!ready) {
    await tf.setBackend("cpu");
    await tf.setBackend("wasm");
    registerWasmTrainingKernels();
    try {
      registerNative();
      await tf.setBackend("native");
      nativeUnavailable = null;
    } catch (e) {
      nativeUnavailable = (e as Error).message;
    }
    ready = true;
  }
  await tf.setBackend("wasm");
}

/** Deterministic pseudo-random values in [-1, 1) (same on every backend). */
export function randomValues(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const rand = mulberry32(seed);
  for (let i = 0; i < n; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** max|a - b| / max(max|b|, 1e-6). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** A backend the kernel tests compare with cpu. */
export type TestBackend = "cpu" | "wasm" | "webgpu" | "native";

/**
 * Runs `f` on `backend` and reads back every output (shapes and values) with `await data()`
 * (never `dataSync()`: it fails on webgpu in Deno). The previously active backend is active
 * again afterwards.
 */
export async function runOn(
  backend: TestBackend,
  f: () => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  const outs = tf.tidy(() => {
    const r = f();
    return Array.isArray(r) ? r : [r];
  });
  const result = [];
  for (const t of outs) {
    result.push({ shape: t.shape, values: Float32Array.from(await t.data()) });
  }
  tf.dispose(outs);
  await tf.setBackend(previous);
  return result;
}

/** Options of {@linkcode compareBackends}. */
export interface CompareOptions {
  /** The backend checked against cpu (default "wasm"). */
  backend?: TestBackend;
  /** Largest allowed {@linkcode relError} per output (default {@linkcode TOLERANCE}). */
  tol?: number;
}

/**
 * Runs `f` on cpu and on `options.backend` and throws a {@linkcode MismatchError} when any
 * output's shape differs or its {@linkcode relError} exceeds the tolerance. Returns the worst
 * error.
 */
export async function compareBackends(
  label: string,
  f: () => tf.Tensor | tf.Tensor[],
  options: CompareOptions = {},
): Promise<number> {
  const backend = options.backend ?? "wasm", tol = options.tol ?? TOLERANCE;
  const ref = await runOn("cpu", f);
  const got = await runOn(backend, f);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    if (got[i].shape.join() !== ref[i].shape.join()) {
      throw new MismatchError(
        `${label}: ${backend} output ${i} shape ${got[i].shape} != cpu ${ref[i].shape}`,
      );
    }
    const e = relError(got[i].values, ref[i].values);
    worst = Math.max(worst, e);
    if (!(e <= tol)) {
      throw new MismatchError(`${label}: ${backend} output ${i} relative error ${e} > ${tol}`);
    }
  }
  return worst;
}

/** {@linkcode compareBackends} for wasm (the wasm kernel tests' shorthand). */
export function compareWithCpu(
  label: string,
  f: () => tf.Tensor | tf.Tensor[],
  tol = TOLERANCE,
): Promise<number> {
  return compareBackends(label, f, { backend: "wasm", tol });
}

/**
 * Runs `f` (which must dispose its own tensors) several times on the active backend and throws unless the
 * tensor and data-buffer counts stay unchanged.
 */
export function assertNoLeak(label: string, f: () => void, repeats = 3): void {
  f(); // warm-up (lazy allocations)
  const before = tf.memory() as tf.MemoryInfo & { numDataBuffers: number };
  for (let i = 0; i < repeats; i++) f();
  const after = tf.memory() as tf.MemoryInfo & { numDataBuffers: number };
  if (after.numTensors !== before.numTensors || after.numDataBuffers !== before.numDataBuffers) {
    throw new MismatchError(
      `${label} leaks: tensors ${before.numTensors} -> ${after.numTensors}, data buffers ` +
        `${before.numDataBuffers} -> ${after.numDataBuffers}`,
    );
  }
}

/** A tensor with {@linkcode randomValues} on the current backend. */
export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(shape, seed), shape);
}

/** Depthwise cases shared with the filter-gradient test. */
export const DW_CASES: {
  x: [number, number, number, number];
  k: number;
  m: number;
  s: number;
  pad: "same" | "valid";
}[] = [
  { x: [2, 9, 9, 3], k: 3, m: 1, s: 1, pad: "same" },
  { x: [2, 9, 9, 3], k: 3, m: 1, s: 2, pad: "same" },
  { x: [1, 10, 11, 4], k: 3, m: 1, s: 2, pad: "valid" },
  { x: [2, 8, 8, 3], k: 3, m: 2, s: 1, pad: "same" },
  { x: [1, 11, 11, 2], k: 5, m: 3, s: 2, pad: "same" },
  { x: [2, 8, 8, 4], k: 1, m: 1, s: 1, pad: "valid" },
  { x: [1, 15, 15, 2], k: 7, m: 1, s: 2, pad: "valid" },
  { x: [1, 14, 14, 2], k: 7, m: 1, s: 1, pad: "valid" },
];
