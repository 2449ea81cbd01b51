/**
 * A leaner `FusedBatchNorm` gradient for wasm. The stock gradient tiles rsqrt(variance) to
 * the full tensor size and keeps a full-size x - mean alive until the end of backprop.
 * Here the per-channel sums (of dy and of dy * (x - mean)) are computed once, and every input
 * gradient is a per-channel expression or one broadcast multiply:
 *
 *   k = scale * rsqrt(var + eps)                                  // [c]
 *   dx = dy * k                   dmean = -sum(dy) * k             // [b, h, w, c], [c]
 *   dvar = -0.5 * sum(dy * (x - mean)) * k * rsqrt(var + eps)^2
 *   dscale = sum(dy * (x - mean)) * rsqrt(var + eps)   doffset = sum(dy)
 *
 * The stock gradFunc is mutated in place (no "Overriding the gradient" warning) and still
 * runs on every other backend and for non-per-channel statistics.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

type GradFunc = tf.GradConfig["gradFunc"];

/** Marks our gradFunc (for idempotence) and remembers the stock one. */
interface WrappedGrad {
  (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap): Record<
    string,
    () => tf.Tensor
  >;
  stock?: GradFunc;
}

function perChannel(t: tf.Tensor | undefined, c: number): boolean {
  return t == null || (t.rank === 1 && t.shape[0] === c);
}

function wasmFusedBatchNormGrad(stock: GradFunc): WrappedGrad {
  const grad: WrappedGrad = (dyIn, saved, attrs) => {
    const dy = dyIn as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const c = x.shape[x.rank - 1];
    const fast = tf.getBackend() === "wasm" && x.rank >= 2 && mean.rank === 1 &&
      perChannel(mean, c) && perChannel(variance, c) && perChannel(scale, c);
    if (!fast) return stock(dy, saved, attrs);
    const eps = attrs.varianceEpsilon as number;
    const axes = [...Array(x.rank - 1).keys()]; // every axis but channels
    // Per-channel terms, [c] each; the full-size temporaries die inside this tidy.
    const [rs, k, sumDy, sumDyXmu] = tf.tidy(() => {
      const rs = tf.rsqrt(tf.add(variance, eps));
      const k = scale == null ? rs.clone() : tf.mul(scale, rs);
      const sumDy = tf.sum(dy, axes);
      const sumDyXmu = tf.sum(tf.mul(dy, tf.sub(x, mean)), axes);
      return [rs, k, sumDy, sumDyXmu];
    });
    return {
      x: () => tf.mul(dy, k),
      mean: () => tf.neg(tf.mul(sumDy, k)),
      variance: () => tf.mul(sumDyXmu, tf.mul(k, tf.mul(tf.square(rs), -0.5))),
      scale: () => tf.mul(sumDyXmu, rs),
      offset: () => tf.reshape(sumDy, [c]),
    };
  };
  grad.stock = stock;
  return grad;
}

/**
 * Makes the registered `FusedBatchNorm` gradient use the lean formula on wasm. Idempotent.
 * Returns false when no gradient is registered (tfjs-layers, which registers the
 * gradients, was not imported), true otherwise.
 */
export function installFusedBatchNormGrad(): boolean {
  const config = tf.getGradient(tf.FusedBatchNorm);
  if (!config) return false;
  const current = config.gradFunc as WrappedGrad;
  if (current.stock) return true;
  (config as { gradFunc: GradFunc }).gradFunc = wasmFusedBatchNormGrad(config.gradFunc) as GradFunc;
  return true;
}

/** Restores the stock `FusedBatchNorm` gradient (tests and benchmarks). */
export function uninstallFusedBatchNormGrad(): void {
  const config = tf.getGradient(tf.FusedBatchNorm);
  const current = config?.gradFunc as WrappedGrad | undefined;
  if (config && current?.stock) {
    (config as { gradFunc: GradFunc }).gradFunc = current.stock;
  }
}
