import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

/** Values in [-8, 8) with exact 0, 6 and -1 entries (the mask boundaries). */
function input(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const edges = tf.tensor(Array.from({ length: n }, (_, i) => [0, 6, -1, 1][i % 4]), shape);
  const mask = tf.tensor(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0)), shape);
  return tf.where(tf.cast(mask, "bool"), edges, tf.mul(rand(shape, seed), 8));
}

Deno.test("Relu, Relu6, ClipByValue gradients: wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, shape] of [[2, 9, 9, 3], [3, 5, 7, 17], [8, 16], [13]].entries()) {
    await compareWithCpu(`activation grads ${shape}`, () => {
      const x = input(shape, 900 + i), w = rand(shape, 910 + i);
      const g = (f: (a: tf.Tensor) => tf.Tensor) =>
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), w)))(x);
      return [
        g(tf.relu),
        g(tf.relu6),
        g((a) => tf.clipByValue(a, 0, 6)),
        g((a) => tf.clipByValue(a, -1, 1)),
        g((a) => tf.clipByValue(tf.relu(a), 0, 6)), // tfjs-layers ReLU(maxValue 6)
      ];
    });
  }
});

Deno.test("Relu, Relu6, ClipByValue gradients: no tensor or buffer leak", async () => {
  await setupBackends();
  const x = input([2, 5, 5, 4], 1);
  const g = tf.grad((a: tf.Tensor) =>
    tf.sum(tf.add(tf.relu(a), tf.add(tf.relu6(a), tf.clipByValue(a, -1, 2))))
  );
  assertNoLeak("activation grads", () => g(x).dispose());
  x.dispose();
});
