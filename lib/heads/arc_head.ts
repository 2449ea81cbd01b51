/**
 * ArcFace head (additive angular margin, Deng et al. 2019) as in arcface-tf2, with the
 * sin(theta) NaN fixed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import {
  checkHeadInputs,
  checkHeadOptions,
  type Head,
  HeadConfigError,
  type HeadOptions,
} from "./head.ts";
import { l2Normalize } from "./l2_normalize.ts";

/** Options of {@linkcode ArcHead}. */
export interface ArcHeadOptions extends HeadOptions {
  /** Angular margin m in radians (default 0.5), 0 <= m < pi. */
  margin?: number;
  /** Logit scale s (default 64). */
  scale?: number;
  /** Floor of 1 - cos^2 under the square root (default 1e-7): keeps sin and its gradient finite. */
  eps?: number;
}

/**
 * ArcFace head: owns W [embd, numClasses] (glorot-uniform init, no bias, no regulariser) and
 * maps embeddings to `s * cos(theta + m)` for the target class and `s * cos(theta)` for the others.
 *
 * Gradient choice: like arcface-tf2, the gradient flows through the closed form
 * `cos(t + m) = cos_t cos m - sin_t sin m` with `sin_t = sqrt(max(1 - cos_t^2, eps))`; it is not
 * the straight-through "constant shift" of insightface's arcface_torch. The `max(., eps)` floor
 * (absent in arcface-tf2) keeps logits and gradients finite when an embedding lies exactly on
 * (or opposite to) a class centre, where the derivative of sqrt(1 - cos^2) is unbounded; cos_t is
 * also clamped to [-1, 1] against rounding. Threshold trick (no easy margin): where
 * `cos_t <= cos(pi - m)` (theta + m would pass pi) the target logit is `cos_t - m sin m` instead.
 */
export class ArcHead implements Head {
  /** Class centres, [embd, numClasses]; columns are normalised on use. */
  readonly w: tf.Variable<tf.Rank.R2>;
  /** Embedding size. */
  readonly embdShape: number;
  /** Number of classes. */
  readonly numClasses: number;
  /** Angular margin m (radians). */
  readonly margin: number;
  /** Logit scale s. */
  readonly scale: number;
  readonly #eps: number;

  /** Creates the head and its weight W. */
  constructor(options: ArcHeadOptions) {
    checkHeadOptions(options);
    const margin = options.margin ?? 0.5;
    const scale = options.scale ?? 64;
    const eps = options.eps ?? 1e-7;
    if (!(margin >= 0 && margin < Math.PI)) {
      throw new HeadConfigError(`Invalid margin: ${margin} (0 <= m < pi radians).`);
    }
    if (!(scale > 0 && Number.isFinite(scale))) {
      throw new HeadConfigError(`Invalid scale: ${scale}.`);
    }
    if (!(eps > 0 && eps < 1)) throw new HeadConfigError(`Invalid eps: ${eps}.`);
    this.embdShape = options.embdShape;
    this.numClasses = options.numClasses;
    this.margin = margin;
    this.scale = scale;
    this.#eps = eps;
    const init = tf.tidy(() =>
      tfl.initializers.glorotUniform({ seed: options.seed })
        .apply([options.embdShape, options.numClasses]) as tf.Tensor2D
    );
    this.w = tf.variable(init, true, options.name ? `${options.name}/w` : undefined);
    init.dispose();
  }

  /** [W]. */
  get trainableVariables(): tf.Variable[] {
    return [this.w];
  }

  /**
   * cos(theta) between each embedding and each class centre, clamped to [-1, 1].
   *
   * @param embeddings [batch, embd]
   * @returns [batch, numClasses]
   */
  cosine(embeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const e = l2Normalize(embeddings, { axis: 1 }); // [batch, embd]
      const w = l2Normalize(this.w, { axis: 0 }); // [embd, numClasses]
      return tf.clipByValue(tf.matMul(e, w), -1, 1); // [batch, numClasses]
    });
  }

  /**
   * ArcFace logits (see the class doc).
   *
   * @param embeddings [batch, embd] float32
   * @param labels [batch] int32 target classes in 0..numClasses-1 (an id outside that range gets
   *   no margin: it is not checked here, to avoid a device read per step)
   * @returns [batch, numClasses]
   */
  logits(embeddings: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D {
    checkHeadInputs(embeddings, labels, this.embdShape);
    const m = this.margin;
    const th = Math.cos(Math.PI - m);
    const mm = Math.sin(Math.PI - m) * m;
    return tf.tidy(() => {
      const cosT = this.cosine(embeddings); // [batch, numClasses]
      const sinT = tf.sqrt(tf.maximum(tf.sub(1, tf.square(cosT)), this.#eps)); // [batch, numClasses]
      const cosMT = tf.sub(tf.mul(cosT, Math.cos(m)), tf.mul(sinT, Math.sin(m))); // cos(t + m)
      // 1 where cos_t > th, else 0; `step` has a (zero) gradient, unlike a comparison op.
      const keep = tf.step(tf.sub(cosT, th)); // [batch, numClasses]
      const fallback = tf.sub(cosT, mm); // [batch, numClasses]
      const target = tf.add(fallback, tf.mul(keep, tf.sub(cosMT, fallback))); // [batch, numClasses]
      const isTarget = tf.cast(tf.oneHot(labels, this.numClasses), "bool"); // [batch, numClasses]
      return tf.mul(tf.where(isTarget, target, cosT), this.scale) as tf.Tensor2D;
    });
  }

  /** Releases W. */
  dispose(): void {
    this.w.dispose();
  }
}
