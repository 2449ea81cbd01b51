import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("Prelu gradient (x and alpha): wasm matches cpu", async () => {
  await setupBackends();
  const cases: [number[], number[]][] = [
    [[2, 9, 9, 3], [1, 1, 3]], // tfjs-layers PReLU, sharedAxes [1, 2]
    [[3, 5, 7, 17], [17]],
    [[8, 16], [16]],
    [[1, 4, 4, 5], [1, 1, 1, 5]],
    [[2, 3, 4, 5], [3, 4, 5]], // not per channel: stock gradient
  ];
  for (const [i, [shape, aShape]] of cases.entries()) {
    await compareWithCpu(`prelu grads ${shape} alpha ${aShape}`, () => {
      const x = rand(shape, 1000 + i), w = rand(shape, 1010 + i);
      const alpha = tf.mul(rand(aShape, 1020 + i), 0.5);
      return tf.grads((a: tf.Tensor, al: tf.Tensor) => tf.sum(tf.mul(tf.prelu(a, al), w)))([
        x,
        alpha,
      ]);
    });
  }
});

Deno.test("Prelu gradient: no tensor or buffer leak", async () => {
  await setupBackends();
  const x = rand([2, 5, 5, 4], 1), alpha = rand([1, 1, 4], 2);
  const g = tf.grads((a: tf.Tensor, al: tf.Tensor) => tf.sum(tf.square(tf.prelu(a, al))));
  assertNoLeak("Prelu grad", () => tf.dispose(g([x, alpha])));
  tf.dispose([x, alpha]);
});
