/**
 * Single-pass `Prelu` gradient on wasm for per-channel slopes (alpha [c] or [1, ..., 1, c],
 * e.g. tfjs-layers' PReLU with sharedAxes over the spatial axes). The stock gradient runs
 * Greater, two Selects, two Multiplies, ZerosLike and a Sum over full-size tensors; here one
 * JS loop over the wasm heap computes
 *   dx = x > 0 ? dy : alpha[c] * dy        dalpha[c] = sum over x <= 0 of dy * x
 * (float64 accumulators). Other slope shapes use the stock gradient.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { heapView, isPerChannel, type KernelArgs, type WasmBackend } from "./kernel_util.ts";
import { patchGradient } from "./grad_patch.ts";

/** Kernel name of the per-channel PReLU gradient (outputs dx, dalpha). */
export const PRELU_GRAD = "ArcfacePreluGrad";

function preluGrad(args: KernelArgs): tf.TensorInfo[] {
  const { dy, x, alpha } = args.inputs as Record<string, tf.TensorInfo>;
  const backend = args.backend as WasmBackend;
  const c = x.shape[x.shape.length - 1];
  const dx = backend.makeOutput(x.shape, "float32"); // [..., c]
  const dalpha = backend.makeOutput(alpha.shape, "float32"); // alpha's shape, c values
  const d = heapView(backend, dy), xs = heapView(backend, x), o = heapView(backend, dx);
  const a = Float64Array.from(heapView(backend, alpha));
  const acc = new Float64Array(c);
  const size = xs.length;
  for (let off = 0; off < size; off += c) {
    for (let j = 0; j < c; j++) {
      const v = xs[off + j], g = d[off + j];
      if (v > 0) {
        o[off + j] = g;
      } else {
        o[off + j] = g * a[j];
        acc[j] += g * v;
      }
    }
  }
  heapView(backend, dalpha).set(acc);
  return [dx, dalpha];
}

/** Config of the `ArcfacePreluGrad` wasm kernel (dy, x [..., c], alpha per-channel). */
export function preluGradConfig(): tf.KernelConfig {
  return { kernelName: PRELU_GRAD, backendName: "wasm", kernelFunc: preluGrad as tf.KernelFunc };
}

/**
 * Patches the `Prelu` gradient to use `ArcfacePreluGrad` on wasm when alpha is per-channel.
 * Returns false when no `Prelu` gradient is registered.
 */
export function installPreluGrad(): boolean {
  return patchGradient(tf.Prelu, (dyIn, [x, alpha]) => {
    const dy = dyIn as tf.Tensor;
    const c = x.shape[x.rank - 1];
    if (
      x.rank < 1 || x.size === 0 || dy.dtype !== "float32" || x.dtype !== "float32" ||
      !tf.util.arraysEqual(dy.shape, x.shape) || !isPerChannel(alpha, c) ||
      tf.getKernel(PRELU_GRAD, tf.getBackend()) == null
    ) return null;
    const [dx, dalpha] = tf.engine().runKernel(PRELU_GRAD, { dy, x, alpha }) as tf.Tensor[];
    return { x: () => dx, alpha: () => dalpha };
  });
}
