/**
 * What every classification head shares, and its errors.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Raised for an unknown head name or an invalid head option. */
export class HeadConfigError extends Error {
  override name = "HeadConfigError";
}

/** A classification head: turns embeddings into class logits for a softmax loss. */
export interface Head {
  /** The head's own weights, to be trained with the embedding model. */
  readonly trainableVariables: tf.Variable[];
  /**
   * Class logits for a batch.
   *
   * @param embeddings [batch, embd] float32 (not necessarily normalised)
   * @param labels [batch] int32 class ids in 0..numClasses-1 (heads without a margin ignore them)
   * @returns [batch, numClasses] logits
   */
  logits(embeddings: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D;
  /**
   * cos(theta) between each embedding and each class centre, without any margin (heads that
   * compare directions, such as ArcHead; the trainer logs the angle and accuracy from it).
   *
   * @param embeddings [batch, embd]
   * @returns [batch, numClasses] in [-1, 1]
   */
  cosine?(embeddings: tf.Tensor2D): tf.Tensor2D;
  /** Releases the head's variables. */
  dispose(): void;
}

/** Options shared by every head. */
export interface HeadOptions {
  /** Embedding size (rows of W). */
  embdShape: number;
  /** Number of classes (columns of W). */
  numClasses: number;
  /** Seed for a deterministic weight init (default: random). */
  seed?: number;
  /** Name prefix of the head's variables (default: TF.js picks unique names). */
  name?: string;
}

/** Checks the shared head options, throwing a {@linkcode HeadConfigError}. */
export function checkHeadOptions(options: HeadOptions): void {
  for (const key of ["embdShape", "numClasses"] as const) {
    const v = options[key];
    if (!Number.isInteger(v) || v <= 0) {
      throw new HeadConfigError(`Invalid ${key}: ${String(v)} (a positive integer is required).`);
    }
  }
}

/** Checks that embeddings [B, embd] and labels [B] fit a head with `embdShape` rows. */
export function checkHeadInputs(embeddings: tf.Tensor, labels: tf.Tensor, embdShape: number): void {
  const [b, d] = embeddings.shape;
  if (embeddings.rank !== 2 || d !== embdShape || labels.rank !== 1 || labels.shape[0] !== b) {
    throw new Error(
      `Head inputs must be embeddings [B, ${embdShape}] and labels [B]; ` +
        `got [${embeddings.shape}] and [${labels.shape}].`,
    );
  }
}
