/**
 * The training loss of arcface-tf2: mean sparse softmax cross-entropy.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Mean over the batch of `logsumexp(logits_i) - logits_i[label_i]`: numerically stable (the
 * log-sum-exp subtracts the row maximum) and differentiable w.r.t. the logits.
 *
 * @param logits [batch, numClasses] float32
 * @param labels [batch] int32 class ids in 0..numClasses-1
 * @returns scalar loss
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(
      `softmaxCrossEntropy needs logits [B, C] and labels [B]; got [${logits.shape}] and [${labels.shape}].`,
    );
  }
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const lse = tf.logSumExp(logits, 1); // [batch]
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, numClasses)), 1); // [batch]
    return tf.mean(tf.sub(lse, picked)) as tf.Scalar;
  });
}
