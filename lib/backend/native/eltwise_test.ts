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

/** Values on both sides of, and exactly at, the kinks 0 and 6. */
function kinked(shape: number[], seed: number): tf.Tensor {
  const x = tf.mul(rand(shape, seed), 8);
  const n = tf.util.sizeFromShape(shape);
  const marks = tf.tensor(
    Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? 6 : NaN)),
    shape,
  );
  return tf.where(tf.isNaN(marks), x, marks);
}

Deno.test({
  name: "Relu, Relu6, ClipByValue and their gradients (kinks included): native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, shape] of [[2, 9, 9, 3], [8, 16], [4, 28, 28, 64], [5]].entries()) {
      await compareBackends(`relu/relu6 [${shape}]`, () => {
        const x = kinked(shape, 1600 + i), w = rand(shape, 1610 + i);
        const g = (f: (a: tf.Tensor) => tf.Tensor) =>
          tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), w)))(x);
        return [
          tf.relu(x),
          tf.relu6(x),
          g(tf.relu),
          g(tf.relu6),
          g((a) => tf.clipByValue(a, 0, 6)),
        ];
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "Relu and its gradient on native: no tensor leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const x = rand([2, 5, 5, 4], 1);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.relu6(tf.relu(a))));
    assertNoLeak("Relu + Relu6 grad", () => g(x).dispose());
    x.dispose();
    await tf.setBackend("wasm");
  },
});
