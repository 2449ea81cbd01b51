import * as tf from "@tensorflow/tfjs-core";
import { assert } from "../../../tests/support/assert.ts";
import { MASKED_GRAD } from "../wasm_kernels/activation_grads.ts";
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
  name: "ClipByValue's gradient on native: both-inclusive mask exact at the bounds, one kernel",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [lo, hi] of [[0, 6], [-0.5, 0.25], [1, 1.5]]) {
      await compareBackends(`clipByValue grad [${lo}, ${hi}]`, () => {
        const shape = [3, 13, 13, 8];
        const n = tf.util.sizeFromShape(shape);
        // x exactly at lo, at hi, and random values across both bounds.
        const x = tf.tensor(
          Array.from({ length: n }, (_, i) => i % 5 === 0 ? lo : i % 7 === 0 ? hi : NaN),
          shape,
        );
        const filled = tf.where(tf.isNaN(x), tf.mul(rand(shape, 1620), 8), x);
        const w = rand(shape, 1621);
        return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.clipByValue(a, lo, hi), w)))(filled)];
      }, { backend: "native" });
    }
    await tf.setBackend("native");
    const x = rand([2, 6, 6, 4], 1630);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.clipByValue(a, 0, 6)));
    const { kernels } = await tf.profile(() => g(x));
    const names = kernels.map((k) => k.name);
    assert(names.includes(MASKED_GRAD), `no ${MASKED_GRAD} in ${names}`);
    assert(!names.includes("LogicalAnd"), `stock gradient ran: ${names}`);
    assertNoLeak("ClipByValue grad", () => g(x).dispose());
    x.dispose();
    await tf.setBackend("wasm");
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
