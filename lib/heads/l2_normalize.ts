/**
 * Gradient-safe L2 normalisation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * `x / sqrt(max(sum(x^2, axis), eps))`, like `tf.math.l2_normalize` (eps 1e-12): finite value and
 * gradient even for an all-zero vector.
 */
export function l2Normalize<T extends tf.Tensor>(
  x: T,
  options: { axis?: number; eps?: number } = {},
): T {
  return tf.tidy(() => {
    const sumSq = tf.sum(tf.square(x), options.axis ?? -1, true); // x's shape, `axis` kept as 1
    return tf.mul(x, tf.rsqrt(tf.maximum(sumSq, options.eps ?? 1e-12)));
  });
}
