import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareBackends,
  nativeUnavailable,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;

// The wasm Prelu-gradient test's shapes, plus the sizes of MobileFaceNet x0.5 at 112x112.
const CASES: [number[], number[]][] = [
  [[2, 9, 9, 3], [1, 1, 3]], // tfjs-layers PReLU, sharedAxes [1, 2]
  [[3, 5, 7, 17], [17]],
  [[8, 16], [16]],
  [[1, 4, 4, 5], [1, 1, 1, 5]],
  [[4, 56, 56, 32], [1, 1, 32]],
  [[2, 3, 4, 5], [3, 4, 5]], // not per channel: cpu kernel, stock gradient
];

Deno.test({
  name: "Prelu and its gradient (x and alpha): native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, [shape, aShape]] of CASES.entries()) {
      await compareBackends(`prelu ${shape} alpha ${aShape}`, () => {
        const x = rand(shape, 1100 + i), w = rand(shape, 1110 + i);
        const alpha = tf.mul(rand(aShape, 1120 + i), 0.5);
        const grads = tf.grads((a: tf.Tensor, al: tf.Tensor) => tf.sum(tf.mul(tf.prelu(a, al), w)))(
          [x, alpha],
        );
        return [tf.prelu(x, alpha), ...grads];
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "Prelu and its gradient on native: no tensor leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const x = rand([2, 5, 5, 4], 1), alpha = rand([1, 1, 4], 2);
    const g = tf.grads((a: tf.Tensor, al: tf.Tensor) => tf.sum(tf.square(tf.prelu(a, al))));
    assertNoLeak("Prelu + grad", () => tf.dispose(g([x, alpha])));
    tf.dispose([x, alpha]);
    await tf.setBackend("wasm");
  },
});
