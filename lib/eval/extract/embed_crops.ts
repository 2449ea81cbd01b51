/**
 * The evaluation's preprocessing and embedding of aligned 112x112 RGB crops with a loaded
 * {@linkcode FaceEmbedder}: `preprocess` per crop, one batch through the net, and the same batch
 * mirrored along its width axis (after preprocessing) when the flip test is on. Used by the
 * evaluation workers and by photo verification, so that a threshold measured by the one holds
 * for the other.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FaceEmbedder } from "../models/mod.ts";

/** What {@linkcode embedCrops} returns. */
export interface CropEmbeddings {
  /** [n * dim] model(x). */
  plain: Float32Array;
  /** [n * dim] model(flip(x)), or null without the flip test. */
  flipped: Float32Array | null;
  /** Embedding size. */
  dim: number;
}

/**
 * Embeds `crops` ([112*112*3] uint8 RGB each) with `embedder`; `flip` also embeds the mirrored
 * batch. Leaks no tensors. Throws a RangeError when a crop has the wrong size.
 */
export async function embedCrops(
  embedder: FaceEmbedder,
  crops: readonly Uint8Array[],
  options: { flip: boolean },
): Promise<CropEmbeddings> {
  const s = embedder.inputSize, d = embedder.embeddingSize, n = crops.length;
  const input = new Float32Array(n * s * s * 3); // [n, s, s, 3]
  crops.forEach((px, i) => input.set(embedder.preprocess(px), i * s * s * 3));
  const x = tf.tensor4d(input, [n, s, s, 3]); // [n, s, s, 3]
  let plain: tf.Tensor | undefined, flipped: tf.Tensor | undefined;
  try {
    plain = tf.tidy(() => embedder.embed(x)); // [n, d]
    flipped = options.flip ? tf.tidy(() => embedder.embed(tf.reverse(x, 2))) : undefined; // [n, d]
    const out = {
      plain: new Float32Array(await plain.data()),
      flipped: flipped ? new Float32Array(await flipped.data()) : null,
      dim: d,
    };
    if (out.plain.length !== n * d) {
      throw new Error(`model returned ${out.plain.length} values for ${n} images`);
    }
    return out;
  } finally {
    x.dispose();
    plain?.dispose();
    flipped?.dispose();
  }
}
