/**
 * Replaces a registered gradient's gradFunc in place (no "Overriding the gradient" warning)
 * with one that tries a fast wasm path first and falls back to the stock gradFunc, which
 * keeps running on every other backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

type GradFunc = tf.GradConfig["gradFunc"];
type GradMap = Record<string, () => tf.Tensor>;

/** A fast path: the gradient map, or null to use the stock gradFunc. */
export type FastGrad = (
  dy: tf.Tensor | tf.Tensor[],
  saved: tf.Tensor[],
  attrs: tf.NamedAttrMap,
) => GradMap | null;

/** Backends with kernels of ours behind the fast gradients (wasm_kernels/, native/). */
const FAST_BACKENDS = new Set(["wasm", "native"]);

/** Marks our gradFunc (for idempotence) and remembers the stock one. */
interface PatchedGrad {
  (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap): GradMap;
  stock?: GradFunc;
}

/**
 * Makes the gradient of `kernelName` try `fast` first (only while the wasm or the native backend
 * is active: each fast path checks that the active backend has the kernel it dispatches to).
 * Idempotent. Returns false when no gradient is registered for `kernelName` (tfjs-layers,
 * which registers the gradients, was not imported).
 */
export function patchGradient(kernelName: string, fast: FastGrad): boolean {
  const config = tf.getGradient(kernelName);
  if (!config) return false;
  if ((config.gradFunc as PatchedGrad).stock) return true;
  const stock = config.gradFunc;
  const grad: PatchedGrad = (dy, saved, attrs) =>
    (FAST_BACKENDS.has(tf.getBackend()) ? fast(dy, saved, attrs) : null) ?? stock(dy, saved, attrs);
  grad.stock = stock;
  (config as { gradFunc: GradFunc }).gradFunc = grad as GradFunc;
  return true;
}

/** Restores the stock gradient of `kernelName` (tests and benchmarks). */
export function unpatchGradient(kernelName: string): void {
  const config = tf.getGradient(kernelName);
  const stock = (config?.gradFunc as PatchedGrad | undefined)?.stock;
  if (config && stock) (config as { gradFunc: GradFunc }).gradFunc = stock;
}
