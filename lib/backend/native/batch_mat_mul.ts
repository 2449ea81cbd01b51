/**
 * `BatchMatMul` and `_FusedMatMul` (bias + linear/relu) on oneDNN's `dnnl_sgemm`, one call per
 * batch item on subarray views of the cpu storage (no copies). a [...batchA, m, k] (or
 * [..., k, m] transposed), b [...batchB, k, n] (or [..., n, k]) -> [...batch, m, n].
 *
 * Why sgemm per item and not the matmul primitive: the networks' matmuls are 2-D (the dense
 * head, batch 1), where the per-call cost is the FFI call itself; sgemm needs no primitive
 * creation or cache key per shape. Batch dims are flattened; broadcasting is handled where each
 * side's batch is either the full batch or 1 (every tfjs-layers case); other broadcasts, and
 * non-float32 inputs, run the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

interface MatMulProblem {
  /** Flattened batch of a, of b, and of the output. */
  batchA: number;
  batchB: number;
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Output shape [...batch, m, n]. */
  outShape: number[];
}

/** The flattened problem, or null where this file does not handle it (cpu fallback). */
function problem(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transA: boolean,
  transB: boolean,
): MatMulProblem | null {
  if (a.dtype !== "float32" || b.dtype !== "float32") return null;
  if (a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length, rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const k2 = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== k2) return null; // the cpu kernel raises TF.js' own error
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const batchA = size(a.shape.slice(0, -2)), batchB = size(b.shape.slice(0, -2));
  const batch = size(outer);
  // Flat indexing is right only where a side is the whole batch or a single matrix.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  return { batchA, batchB, batch, m, n, k, outShape: [...outer, m, n] };
}

/**
 * out[i] = op(a[i]) op(b[i]) (+ out[i] when `accumulate`: the bias rows already written
 * there) for every batch item, through dnnl_sgemm.
 */
function gemmBatches(
  backend: NativeBackend,
  p: MatMulProblem,
  arrays: { a: Float32Array; b: Float32Array; out: Float32Array },
  options: { transA: boolean; transB: boolean; accumulate: boolean },
): void {
  const { m, n, k } = p;
  if (m === 0 || n === 0) return;
  if (k === 0) return; // out stays zero (or the bias)
  for (let i = 0; i < p.batch; i++) {
    const ai = p.batchA === 1 ? 0 : i, bi = p.batchB === 1 ? 0 : i;
    backend.dnnl.sgemm(
      arrays.a.subarray(ai * m * k, (ai + 1) * m * k),
      arrays.b.subarray(bi * k * n, (bi + 1) * k * n),
      arrays.out.subarray(i * m * n, (i + 1) * m * n),
      { m, n, k, transA: options.transA, transB: options.transB },
      { beta: options.accumulate ? 1 : 0 },
    );
  }
}

function batchMatMul(
  args: { inputs: tf.BatchMatMulInputs; backend: NativeBackend; attrs: tf.BatchMatMulAttrs },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as tf.TensorInfo, b = inputs.b as tf.TensorInfo;
  const transA = !!attrs.transposeA, transB = !!attrs.transposeB;
  const p = problem(a, b, transA, transB);
  if (!p) return runCpuKernel(tf.BatchMatMul, args as never) as tf.TensorInfo;
  const out = backend.output(p.outShape);
  gemmBatches(backend, p, { a: backend.f32(a), b: backend.f32(b), out: out.values }, {
    transA,
    transB,
    accumulate: false,
  });
  return out.info;
}

/** The bias as one row of n values, or null when it is not [n] / [1, ..., n]. */
function biasRow(backend: NativeBackend, bias: tf.TensorInfo, n: number): Float32Array | null {
  if (bias.dtype !== "float32" || bias.shape.length === 0) return null;
  const last = bias.shape.length - 1;
  if (bias.shape[last] !== n || !bias.shape.every((d, i) => i === last || d === 1)) return null;
  return backend.f32(bias);
}

/** tfjs-core's `_FusedMatMul` inputs and attrs (not exported by its index). */
type FusedInputs = tf.BatchMatMulInputs & {
  bias?: tf.TensorInfo;
  preluActivationWeights?: tf.TensorInfo;
};
type FusedAttrs = tf.BatchMatMulAttrs & { activation?: string; leakyreluAlpha?: number };

function fusedMatMul(
  args: { inputs: FusedInputs; backend: NativeBackend; attrs: FusedAttrs },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as tf.TensorInfo, b = inputs.b as tf.TensorInfo;
  const transA = !!attrs.transposeA, transB = !!attrs.transposeB;
  const activation = attrs.activation ?? "linear";
  const p = problem(a, b, transA, transB);
  const bias = inputs.bias ? biasRow(backend, inputs.bias as tf.TensorInfo, p?.n ?? -1) : null;
  if (
    !p || inputs.preluActivationWeights || (inputs.bias && !bias) ||
    (activation !== "linear" && activation !== "relu")
  ) {
    return runCpuKernel(tf._FusedMatMul, args as never) as tf.TensorInfo;
  }
  const out = backend.output(p.outShape);
  const y = out.values; // [batch * m, n]
  if (bias) { for (let r = 0; r < p.batch * p.m; r++) y.set(bias, r * p.n); }
  gemmBatches(backend, p, { a: backend.f32(a), b: backend.f32(b), out: y }, {
    transA,
    transB,
    accumulate: bias !== null,
  });
  if (activation === "relu") { for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0; }
  return out.info;
}

/** Kernel config of `BatchMatMul` on the native backend. */
export function batchMatMulConfig(): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "native",
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  };
}

/** Kernel config of `_FusedMatMul` (bias + linear/relu; the rest on cpu) on the native backend. */
export function fusedMatMulConfig(): tf.KernelConfig {
  return {
    kernelName: tf._FusedMatMul,
    backendName: "native",
    kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
  };
}
