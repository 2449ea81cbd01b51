/**
 * Shape checks shared by the layers and graph embedders.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModelLoadError } from "./embedder.ts";

function fmt(shape: readonly (number | null | undefined)[] | undefined): string {
  if (!shape) return "unknown";
  return `[${
    shape.map((d) => (d === null || d === undefined || d < 0 ? "N" : String(d))).join(", ")
  }]`;
}

/**
 * Checks a declared input shape is [N, S, S, 3] and returns S (or `fallback` when S is unknown).
 */
export function checkInputShape(
  what: string,
  shape: readonly (number | null | undefined)[] | undefined,
  fallback: number | undefined,
): number {
  const need = "an image input [N, S, S, 3] (NHWC RGB, square)";
  if (!shape || shape.length !== 4) {
    throw new ModelLoadError(`${what}: input shape is ${fmt(shape)}; need ${need}.`);
  }
  const known = (d: number | null | undefined) => d !== null && d !== undefined && d > 0;
  const [, h, w, c] = shape;
  if (known(c) && c !== 3) {
    throw new ModelLoadError(
      `${what}: input shape is ${fmt(shape)} (${c} channels); need ${need}.`,
    );
  }
  if (known(h) && known(w) && h !== w) {
    throw new ModelLoadError(`${what}: input shape is ${fmt(shape)} (not square); need ${need}.`);
  }
  const side = known(h) ? h! : known(w) ? w! : fallback;
  if (!side) {
    throw new ModelLoadError(
      `${what}: input shape is ${fmt(shape)} with no fixed size; pass the inputSize option.`,
    );
  }
  if (fallback !== undefined && known(h) && fallback !== h) {
    throw new ModelLoadError(
      `${what}: input shape is ${fmt(shape)} but inputSize ${fallback} was requested.`,
    );
  }
  return side;
}

/**
 * Runs `run` on a zero batch of 2 and checks the result is [2, D]; returns D. Throws
 * {@linkcode ModelLoadError} naming the shape found.
 */
export function probeEmbeddingSize(
  what: string,
  side: number,
  run: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[],
): number {
  let out: tf.Tensor | tf.Tensor[];
  const x = tf.zeros([2, side, side, 3]) as tf.Tensor4D;
  try {
    out = run(x);
  } catch (e) {
    throw new ModelLoadError(
      `${what}: a test run on [2, ${side}, ${side}, 3] failed: ${(e as Error).message}`,
    );
  } finally {
    x.dispose();
  }
  const outs = Array.isArray(out) ? out : [out];
  const shapes = outs.map((t) => t.shape);
  tf.dispose(outs);
  if (outs.length !== 1 || shapes[0].length !== 2 || shapes[0][0] !== 2) {
    throw new ModelLoadError(
      `${what}: output is ${shapes.map((s) => fmt(s)).join(" + ")} for a batch of 2; need one ` +
        `embedding output [N, D] (pick one with the outputName option for graph models).`,
    );
  }
  return shapes[0][1];
}
