/**
 * `Sum` and `Mean` for wasm over a block of non-innermost axes (per-channel reductions:
 * bias and BN gradients, moments, global pooling). The stock kernels transpose the whole
 * input so that the reduced axes come last; here one pass over the heap accumulates each
 * output row in float64. Any other reduction goes to the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { heapView, type KernelArgs, KernelScope, stockKernel } from "./kernel_util.ts";

/**
 * `[outer, reduced, inner]` sizes when `axes` is one consecutive block that leaves the last
 * axis alone, else null.
 */
export function middleBlock(shape: number[], axes: number[]): [number, number, number] | null {
  if (axes.length === 0) return null;
  const sorted = [...axes].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1] + 1) return null;
  const lo = sorted[0], hi = sorted[sorted.length - 1];
  if (hi >= shape.length - 1) return null; // innermost: the stock kernel is fast
  const size = (a: number, b: number) => shape.slice(a, b).reduce((p, q) => p * q, 1);
  return [size(0, lo), size(lo, hi + 1), size(hi + 1, shape.length)];
}

function reduce(
  name: "Sum" | "Mean",
  args: KernelArgs,
): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = (args.attrs ?? {}) as { axis: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const block = x.dtype === "float32" ? middleBlock(x.shape, axes) : null;
  if (!block) return stockKernel(name)(args) as tf.TensorInfo;
  const [outer, reduced, inner] = block;
  const outShape = keepDims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  const s = new KernelScope(args.backend);
  const out = s.alloc(outShape); // [outer, inner]
  const src = heapView(s.backend, x); // [outer, reduced, inner]
  const acc = new Float64Array(inner);
  const dst = heapView(s.backend, out);
  const scale = name === "Mean" ? 1 / reduced : 1;
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let off = o * reduced * inner;
    for (let r = 0; r < reduced; r++, off += inner) {
      for (let c = 0; c < inner; c++) acc[c] += src[off + c];
    }
    for (let c = 0; c < inner; c++) dst[o * inner + c] = acc[c] * scale;
  }
  return s.keep(out);
}

/** Config of the wasm `Sum` that reduces leading/middle axes without a transpose. */
export function sumConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Sum,
    backendName: "wasm",
    kernelFunc: ((a: KernelArgs) => reduce("Sum", a)) as tf.KernelFunc,
  };
}

/** Config of the wasm `Mean` that reduces leading/middle axes without a transpose. */
export function meanConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Mean,
    backendName: "wasm",
    kernelFunc: ((a: KernelArgs) => reduce("Mean", a)) as tf.KernelFunc,
  };
}
