import * as tf from "@tensorflow/tfjs-core";
import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { batchNormTrain } from "./batch_norm_train.ts";
import { UnsupportedKernelAttrError } from "./kernel_util.ts";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

/** The stock composition on cpu, the one-op kernel on wasm. */
function bnTrain(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor[] {
  if (tf.getBackend() === "wasm") return batchNormTrain(x, g, b, eps);
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return [tf.batchNorm(x, mean, variance, b, g, eps), mean, variance];
}

Deno.test("batchNormTrain forward and gradients: wasm kernel matches cpu stock path", async () => {
  await setupBackends();
  const shapes = [[2, 9, 9, 3], [3, 5, 7, 17], [8, 16], [2, 1, 1, 5], [5, 4, 6]];
  for (const [i, shape] of shapes.entries()) {
    const c = shape[shape.length - 1];
    await compareWithCpu(`batchNormTrain ${shape}`, () => {
      // Offset mean (10) and small spread: checks the statistics against cancellation.
      const x = tf.add(tf.mul(rand(shape, 500 + i), 0.5), 10);
      const gamma = tf.add(rand([c], 510 + i), 1.5), beta = rand([c], 520 + i);
      const w = rand(shape, 530 + i), wm = rand([c], 540 + i), wv = rand([c], 550 + i);
      const fwd = bnTrain(x, gamma, beta, 1e-3);
      // Loss through y only (the usual case) and through y, mean and variance.
      const lossY = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(bnTrain(a, g, b, 1e-3)[0], w));
      const lossAll = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const [y, m, v] = bnTrain(a, g, b, 1e-3);
        return tf.addN([tf.sum(tf.mul(y, w)), tf.sum(tf.mul(m, wm)), tf.sum(tf.mul(v, wv))]);
      };
      return [...fwd, ...tf.grads(lossY)([x, gamma, beta]), ...tf.grads(lossAll)([x, gamma, beta])];
    });
  }
});

Deno.test("batchNormTrain: typed error off its domain", async () => {
  await setupBackends();
  const x = rand([2, 3], 1), g = rand([4], 2);
  assertThrows(() => batchNormTrain(x, g, g, 1e-3), UnsupportedKernelAttrError);
  tf.dispose([x, g]);
});

Deno.test("batchNormTrain: no tensor or buffer leak", async () => {
  await setupBackends();
  const x = rand([2, 5, 5, 4], 1), g = rand([4], 2), b = rand([4], 3);
  const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(tf.square(batchNormTrain(a, gg, bb, 1e-3)[0]))
  );
  assertNoLeak("batchNormTrain", () => {
    tf.dispose(grads([x, g, b]));
    tf.dispose(batchNormTrain(x, g, b, 1e-3));
  });
  assertEquals(tf.memory().numTensors > 0, true);
  tf.dispose([x, g, b]);
});
