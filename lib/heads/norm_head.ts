/**
 * The baseline softmax head: a plain dense layer.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { checkHeadInputs, checkHeadOptions, type Head, type HeadOptions } from "./head.ts";

/** Options of {@linkcode NormHead}. */
export type NormHeadOptions = HeadOptions;

/**
 * arcface-tf2's NormHead: `Dense(numClasses)` on the raw embedding, W [embd, numClasses]
 * (glorot-uniform) and bias [numClasses] (zeros); logits = emb . W + b. No margin, so labels are
 * unused. (arcface-tf2 puts its w_decay L2 regulariser on this kernel; this head has none.)
 */
export class NormHead implements Head {
  /** Kernel, [embd, numClasses]. */
  readonly w: tf.Variable<tf.Rank.R2>;
  /** Bias, [numClasses]. */
  readonly b: tf.Variable<tf.Rank.R1>;
  /** Embedding size. */
  readonly embdShape: number;
  /** Number of classes. */
  readonly numClasses: number;

  /** Creates the head and its weights. */
  constructor(options: NormHeadOptions) {
    checkHeadOptions(options);
    this.embdShape = options.embdShape;
    this.numClasses = options.numClasses;
    const init = tf.tidy(() =>
      tfl.initializers.glorotUniform({ seed: options.seed })
        .apply([options.embdShape, options.numClasses]) as tf.Tensor2D
    );
    const prefix = options.name;
    this.w = tf.variable(init, true, prefix ? `${prefix}/w` : undefined);
    this.b = tf.variable(tf.zeros([options.numClasses]), true, prefix ? `${prefix}/b` : undefined);
    init.dispose();
  }

  /** [W, b]. */
  get trainableVariables(): tf.Variable[] {
    return [this.w, this.b];
  }

  /**
   * @param embeddings [batch, embd]
   * @param labels [batch] int32 (shape-checked, otherwise unused)
   * @returns [batch, numClasses] logits
   */
  logits(embeddings: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D {
    checkHeadInputs(embeddings, labels, this.embdShape);
    return tf.tidy(() => tf.add(tf.matMul(embeddings, this.w), this.b)); // [batch, numClasses]
  }

  /** Releases W and b. */
  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}
