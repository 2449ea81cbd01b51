/**
 * Single-pass gradients of the clipping activations on wasm: `Relu` (x > 0), `Relu6`
 * (0 < x <= 6) and `ClipByValue` (min <= x <= max; tfjs-layers' ReLU with maxValue). The stock
 * gradients chain 3-5 full-size kernels (Step/GreaterEqual/LessEqual, LogicalAnd, Cast,
 * Multiply or Select with ZerosLike); here one JS loop over the wasm heap computes
 * `dx = inside(x) ? dy : 0`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { heapView, type KernelArgs, type WasmBackend } from "./kernel_util.ts";
import { patchGradient } from "./grad_patch.ts";

/** Kernel name of the masked pass-through gradient. */
export const MASKED_GRAD = "ArcfaceMaskedGrad";

/** Attributes of `ArcfaceMaskedGrad`: the interval of x where dy passes. */
export interface MaskedGradAttrs {
  lo: number;
  hi: number;
  loInclusive: boolean;
  hiInclusive: boolean;
}

function maskedGrad(args: KernelArgs): tf.TensorInfo {
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const { lo, hi, loInclusive, hiInclusive } = args.attrs as unknown as MaskedGradAttrs;
  const backend = args.backend as WasmBackend;
  const out = backend.makeOutput(x.shape, "float32");
  const d = heapView(backend, dy), xs = heapView(backend, x), o = heapView(backend, out);
  const n = xs.length;
  if (loInclusive && hiInclusive) {
    for (let i = 0; i < n; i++) {
      const v = xs[i];
      o[i] = v >= lo && v <= hi ? d[i] : 0;
    }
  } else if (!loInclusive && hi === Infinity) {
    for (let i = 0; i < n; i++) o[i] = xs[i] > lo ? d[i] : 0;
  } else {
    for (let i = 0; i < n; i++) {
      const v = xs[i];
      const inLo = loInclusive ? v >= lo : v > lo, inHi = hiInclusive ? v <= hi : v < hi;
      o[i] = inLo && inHi ? d[i] : 0;
    }
  }
  return out;
}

/** Config of the `ArcfaceMaskedGrad` wasm kernel (dy, x [any] -> dx [same]). */
export function maskedGradConfig(): tf.KernelConfig {
  return { kernelName: MASKED_GRAD, backendName: "wasm", kernelFunc: maskedGrad as tf.KernelFunc };
}

/** `dx = inside(x) ? dy : 0` on wasm (float32 dy and x of one shape). */
export function maskedGradient(dy: tf.Tensor, x: tf.Tensor, attrs: MaskedGradAttrs): tf.Tensor {
  return tf.engine().runKernel(
    MASKED_GRAD,
    { dy, x },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor;
}

function fast(dyIn: tf.Tensor | tf.Tensor[], x: tf.Tensor, attrs: MaskedGradAttrs) {
  const dy = dyIn as tf.Tensor;
  if (
    dy.dtype !== "float32" || x.dtype !== "float32" || !tf.util.arraysEqual(dy.shape, x.shape) ||
    tf.getKernel(MASKED_GRAD, tf.getBackend()) == null
  ) return null;
  return { x: () => maskedGradient(dy, x, attrs) };
}

/**
 * Patches the `Relu`, `Relu6` and `ClipByValue` gradients to use `ArcfaceMaskedGrad` on wasm
 * and native.
 * Returns the kernel names whose gradient is patched.
 */
export function installActivationGrads(): string[] {
  const done: string[] = [];
  const ok = (name: string, f: Parameters<typeof patchGradient>[1]) => {
    if (patchGradient(name, f)) done.push(`${name}_grad`);
  };
  ok(
    tf.Relu,
    (dy, [x]) => fast(dy, x, { lo: 0, hi: Infinity, loInclusive: false, hiInclusive: false }),
  );
  ok(tf.Relu6, (dy, [x]) => fast(dy, x, { lo: 0, hi: 6, loInclusive: false, hiInclusive: true }));
  // native: oneDNN comparisons (native/interval_mask_grad.ts); wasm: the loop above.
  ok(tf.ClipByValue, (dy, [x], attrs) =>
    fast(dy, x, {
      lo: attrs.clipValueMin as number,
      hi: attrs.clipValueMax as number,
      loInclusive: true,
      hiInclusive: true,
    }));
  return done;
}
