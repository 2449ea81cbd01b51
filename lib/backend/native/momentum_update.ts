/**
 * `ArcfaceMomentumUpdate`: one SGD-with-momentum update of one variable, the formulas of tfjs'
 * `MomentumOptimizer` (TF's `ResourceApplyMomentum`), on oneDNN:
 *
 *     accum' = m * accum + g
 *     value' = value - lr * accum'                 (plain)
 *     value' = value - lr * (g + m * accum')       (Nesterov)
 *
 * Each line is one pass of a "scaled add" `dst = a * s + b`: a binary multiply by a broadcast
 * scalar with a binary-add post-op, so the Nesterov update is three passes over the variable
 * where tfjs' optimiser runs six kernels (three `Multiply`, three `Add`), each a fresh output.
 * The scalars are run-time operands, so one primitive per shape serves every step's learning
 * rate. The products and sums are the same float32 operations in the same order as tfjs'
 * (`m * accum` then `+ g`; `accum' * m + g`; `* -lr` then `+ value`), so the update matches the
 * stock optimiser's to rounding (oneDNN may contract a multiply-add into one FMA).
 *
 * Why: in a ResNet50 training step at batch 8 (42 M parameters with the output layer and a
 * 1,000-class head) the stock update measured 518 ms of kernel time in `tf.profile` (657
 * Multiply, 657 Add), most of it writing fresh arrays.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DNNL, type F32 } from "./dnnl_library.ts";
import type { NativeBackend } from "./native_backend.ts";
import { scalarOpThenBinary } from "./post_ops.ts";

/** The kernel's registered name. */
export const MOMENTUM_UPDATE = "ArcfaceMomentumUpdate";

/** Attributes of {@linkcode MOMENTUM_UPDATE}. */
export interface MomentumUpdateAttrs {
  /** The momentum m. */
  momentum: number;
  /** The learning rate of this step. */
  learningRate: number;
  /** Nesterov's update (arcface-tf2: true). */
  nesterov: boolean;
  [key: string]: number | boolean;
}

/** `dst = a * s + b` over float32 arrays of one length (one pass). */
function scaledAdd(backend: NativeBackend, arrays: { a: F32; b: F32; dst: F32 }, s: number): void {
  scalarOpThenBinary(backend, { a: arrays.a, other: arrays.b, dst: arrays.dst }, {
    op: DNNL.alg.binaryMul,
    scalar: s,
    post: DNNL.alg.binaryAdd,
  });
}

function momentumUpdateKernel(
  args: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap },
): tf.TensorInfo[] {
  const { value, accumulation, gradient } = args.inputs as Record<string, tf.TensorInfo>;
  const { momentum, learningRate, nesterov } = args.attrs as unknown as MomentumUpdateAttrs;
  const { backend } = args;
  for (const t of [value, accumulation, gradient]) {
    if (t.dtype !== "float32" || !tf.util.arraysEqual(t.shape, value.shape)) {
      throw new TypeError(
        `${MOMENTUM_UPDATE}: value, accumulation and gradient must be float32 of one shape; ` +
          `got ${[value, accumulation, gradient].map((x) => `${x.dtype}[${x.shape}]`).join(", ")}`,
      );
    }
  }
  const newAccum = backend.output(value.shape), newValue = backend.output(value.shape);
  const v = backend.f32(value), g = backend.f32(gradient);
  if (v.length === 0) return [newValue.info, newAccum.info];
  // accum' = accum * m + g                                            [size]
  scaledAdd(backend, { a: backend.f32(accumulation), b: g, dst: newAccum.values }, momentum);
  if (nesterov) {
    // t = accum' * m + g, in newValue's array (every element is overwritten below)
    scaledAdd(backend, { a: newAccum.values, b: g, dst: newValue.values }, momentum);
    // value' = t * -lr + value, in place: the post-op's operand (value) is not the destination
    scaledAdd(backend, { a: newValue.values, b: v, dst: newValue.values }, -learningRate);
  } else {
    scaledAdd(backend, { a: newAccum.values, b: v, dst: newValue.values }, -learningRate);
  }
  return [newValue.info, newAccum.info];
}

/** Kernel config of {@linkcode MOMENTUM_UPDATE} on the native backend. */
export function momentumUpdateConfigs(): tf.KernelConfig[] {
  return [{
    kernelName: MOMENTUM_UPDATE,
    backendName: "native",
    kernelFunc: momentumUpdateKernel as unknown as tf.KernelFunc,
  }];
}
