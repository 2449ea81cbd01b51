/**
 * `Reverse` along one axis (the flip test's mirror, [n, h, w, c] along w) as block copies on the
 * cpu storage: x viewed as [outer, len, inner], output row i = input row len - 1 - i, each
 * `inner` values one `TypedArray.set` (a memcpy). Why not oneDNN: it has no reverse, and its
 * memory descriptors take no negative strides. Why not the cpu kernel: it computes a location
 * array per element (indexToLoc, slice, spread); mirroring 16 face-api crops (16 x 150 x 150 x 3)
 * through it made native evaluation slower than wasm's. Several axes, or non-float32 data, run
 * the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap };

function reverse(args: Args): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const dims = tf.util.parseAxisParam((args.attrs as { dims: number | number[] }).dims, x.shape);
  const axes = [...new Set(dims)].filter((d) => x.shape[d] > 1);
  if (x.dtype !== "float32" || x.shape.length === 0 || axes.length !== 1) {
    return runCpuKernel(tf.Reverse, args) as tf.TensorInfo;
  }
  const axis = axes[0];
  const len = x.shape[axis];
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const src = args.backend.f32(x), out = args.backend.output(x.shape);
  const dst = out.values;
  for (let o = 0; o < outer; o++) {
    const base = o * len * inner;
    for (let i = 0; i < len; i++) {
      const from = base + (len - 1 - i) * inner;
      dst.set(src.subarray(from, from + inner), base + i * inner);
    }
  }
  return out.info;
}

/** Kernel config of `Reverse` on the native backend. */
export function reverseConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Reverse,
    backendName: "native",
    kernelFunc: reverse as unknown as tf.KernelFunc,
  };
}
