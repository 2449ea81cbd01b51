/**
 * `FusedBatchNorm` (inference-mode batch normalisation) for wasm as one JS loop over the heap,
 * `y = x * a[c] + b[c]` with `a = scale * rsqrt(var + eps)` and `b = offset - mean * a`
 * computed once per channel in float64. Applies when mean, variance and (if given) scale and
 * offset hold one value per channel of x's last axis; anything else goes to the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  heapView,
  isPerChannel,
  type KernelArgs,
  stockKernel,
  type WasmBackend,
} from "./kernel_util.ts";

function fusedBatchNorm(args: KernelArgs): tf.TensorInfo {
  const { x, mean, variance, offset, scale } = args.inputs as Record<
    string,
    tf.TensorInfo | undefined
  >;
  const eps = (args.attrs ?? {}).varianceEpsilon as number;
  const xi = x as tf.TensorInfo;
  const c = xi.shape[xi.shape.length - 1];
  const ok = xi.dtype === "float32" && xi.shape.length >= 1 && c > 0 &&
    isPerChannel(mean, c) && isPerChannel(variance, c) &&
    (offset == null || isPerChannel(offset, c)) && (scale == null || isPerChannel(scale, c));
  if (!ok) return stockKernel(tf.FusedBatchNorm)(args) as tf.TensorInfo;
  const backend = args.backend as WasmBackend;
  const out = backend.makeOutput(xi.shape, "float32"); // x's shape
  const m = heapView(backend, mean as tf.TensorInfo);
  const v = heapView(backend, variance as tf.TensorInfo);
  const s = scale == null ? null : heapView(backend, scale);
  const o = offset == null ? null : heapView(backend, offset);
  const a = new Float64Array(c), b = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    a[j] = (s == null ? 1 : s[j]) / Math.sqrt(v[j] + eps);
    b[j] = (o == null ? 0 : o[j]) - m[j] * a[j];
  }
  const xs = heapView(backend, xi), ys = heapView(backend, out);
  const size = xs.length;
  for (let off = 0; off < size; off += c) {
    for (let j = 0; j < c; j++) ys[off + j] = xs[off + j] * a[j] + b[j];
  }
  return out;
}

/** Config of the wasm `FusedBatchNorm` for per-channel statistics. */
export function fusedBatchNormConfig(): tf.KernelConfig {
  return {
    kernelName: tf.FusedBatchNorm,
    backendName: "wasm",
    kernelFunc: fusedBatchNorm as tf.KernelFunc,
  };
}
