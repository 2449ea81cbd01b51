/**
 * `FusedBatchNorm` (inference: the given mean and variance) on oneDNN's batch_normalization
 * forward_inference with use_global_stats + scale/shift: x [..., c], mean/variance/offset/scale
 * [c] -> y [..., c] = (x - mean) * scale / sqrt(variance + eps) + offset. A missing scale is
 * ones and a missing offset zeros (oneDNN needs both arrays). Per-channel tensors that are not
 * [c] (broadcast scalars, other shapes), empty x and non-float32 run the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DNNL } from "./dnnl_library.ts";
import { batchNormForwardDesc, rowsAndChannels } from "./batch_norm_desc.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

/** True when `t` holds exactly c float32 values along its last axis (shape [c] or [1, .., c]). */
export function perChannel(t: tf.TensorInfo | undefined, c: number): boolean {
  if (t == null || t.dtype !== "float32" || t.shape.length === 0) return false;
  const last = t.shape.length - 1;
  return t.shape[last] === c && t.shape.every((d, i) => i === last || d === 1);
}

const filled = new Map<string, Float32Array>();
/** `value` repeated c times, cached per (value, c): only ever passed to oneDNN as an input. */
export function constant(value: number, c: number): Float32Array {
  const key = `${value}|${c}`;
  let a = filled.get(key);
  if (!a) filled.set(key, a = new Float32Array(c).fill(value));
  return a;
}

function fusedBatchNorm(
  args: { inputs: tf.FusedBatchNormInputs; backend: NativeBackend; attrs: tf.FusedBatchNormAttrs },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, mean, variance, offset, scale } = inputs as Record<string, tf.TensorInfo | undefined>;
  const [rows, c] = rowsAndChannels(x!.shape);
  const eps = attrs.varianceEpsilon ?? 0.001;
  if (
    x!.dtype !== "float32" || x!.shape.length < 2 || rows === 0 || !perChannel(mean, c) ||
    !perChannel(variance, c) || (offset && !perChannel(offset, c)) ||
    (scale && !perChannel(scale, c))
  ) {
    return runCpuKernel(tf.FusedBatchNorm, args as never) as tf.TensorInfo;
  }
  const dnnl = backend.dnnl;
  const flags = DNNL.bnFlags.useGlobalStats | DNNL.bnFlags.useScale | DNNL.bnFlags.useShift;
  const prim = dnnl.primitive(`bn_inf|${rows}|${c}|${eps}`, () => {
    const d = batchNormForwardDesc(dnnl, { rows, c, eps }, {
      prop: DNNL.prop.forwardInference,
      flags,
    });
    return {
      op: d.op,
      args: [
        [DNNL.arg.src, d.data],
        [DNNL.arg.dst, d.data],
        [DNNL.arg.mean, d.stat],
        [DNNL.arg.variance, d.stat],
        [DNNL.arg.scale, d.stat],
        [DNNL.arg.shift, d.stat],
      ],
    };
  });
  const out = backend.output(x!.shape);
  dnnl.execute(prim, [
    [DNNL.arg.src, backend.f32(x!)],
    [DNNL.arg.dst, out.values],
    [DNNL.arg.mean, backend.f32(mean!)],
    [DNNL.arg.variance, backend.f32(variance!)],
    [DNNL.arg.scale, scale ? backend.f32(scale) : constant(1, c)],
    [DNNL.arg.shift, offset ? backend.f32(offset) : constant(0, c)],
  ]);
  return out.info;
}

/** Kernel config of `FusedBatchNorm` on the native backend. */
export function fusedBatchNormConfig(): tf.KernelConfig {
  return {
    kernelName: tf.FusedBatchNorm,
    backendName: "native",
    kernelFunc: fusedBatchNorm as unknown as tf.KernelFunc,
  };
}
