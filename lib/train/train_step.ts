/**
 * One optimisation step of backbone -> embedding -> head -> softmax cross-entropy.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { Head } from "../heads/mod.ts";
import { softmaxCrossEntropy } from "../heads/mod.ts";
import type { TensorBatch } from "../data/pipeline/to_tensors.ts";

/** What a step trains: the embedding network, the head, and the optimiser that updates both. */
export interface StepModel {
  /** [batch, size, size, 3] in [0, 1] -> [batch, embd]. */
  model: LayersModel;
  /** Owns the class centres (and margins, for ArcHead). */
  head: Head;
  /** E.g. `tf.train.momentum(lr, 0.9, true)`; its slots persist across steps. */
  optimizer: tf.Optimizer;
}

/** Tensors a step returns; the caller owns (and disposes) them. */
export interface StepResult {
  /** Total loss: cross-entropy + the model's regulariser terms. */
  loss: tf.Scalar;
  /** Mean softmax cross-entropy alone. */
  crossEntropy: tf.Scalar;
  /** Fraction of the batch whose largest logit is its label (margins included). */
  accuracy: tf.Scalar;
}

/** The variables a step updates: the model's trainable weights, then the head's. */
export function trainableVariables(net: Pick<StepModel, "model" | "head">): tf.Variable[] {
  // LayerVariable.read() is the underlying tf.Variable (as tfjs-layers' own fit() does).
  const modelVars = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  return [...modelVars, ...net.head.trainableVariables];
}

/**
 * Runs forward + backward + one optimiser update, with BN and dropout in training mode.
 *
 * Regulariser losses are whatever the model declares (arcface-tf2: L2 on the embedding Dense
 * kernel only). Leaks no tensors: everything but the returned scalars is freed.
 */
export function trainStep(net: StepModel, batch: TensorBatch): StepResult {
  const varList = trainableVariables(net);
  let crossEntropy: tf.Scalar | undefined;
  let accuracy: tf.Scalar | undefined;
  const loss = net.optimizer.minimize(
    () => {
      const emb = net.model.apply(batch.images, { training: true }) as tf.Tensor2D; // [batch, embd]
      const logits = net.head.logits(emb, batch.labels); // [batch, classes]
      const ce = softmaxCrossEntropy(logits, batch.labels);
      const reg = net.model.calculateLosses();
      const total = reg.length > 0 ? tf.addN([ce, ...reg]) as tf.Scalar : ce;
      // keep() lets these outlive minimize()'s tidy; the tape does not need them.
      crossEntropy = tf.keep(ce.clone());
      accuracy = tf.keep(
        tf.tidy(() =>
          tf.mean(
            tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(batch.labels, "int32")), "float32"),
          )
        ) as tf.Scalar,
      );
      return total;
    },
    true,
    varList,
  ) as tf.Scalar;
  return { loss, crossEntropy: crossEntropy!, accuracy: accuracy! };
}

/** Disposes every tensor of a {@linkcode StepResult}. */
export function disposeStepResult(result: StepResult): void {
  tf.dispose([result.loss, result.crossEntropy, result.accuracy]);
}
