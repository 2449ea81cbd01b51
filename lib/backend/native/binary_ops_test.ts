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

const OPS: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ["add", tf.add],
  ["sub", tf.sub],
  ["mul", tf.mul],
  ["div", (a, b) => tf.div(a, tf.add(tf.abs(b), 0.5))],
  ["maximum", tf.maximum],
  ["minimum", tf.minimum],
];

// Same shapes, a scalar either side, per-channel, middle-axis and both-sides broadcasts, rank 0.
const SHAPES: [number[], number[]][] = [
  [[2, 9, 9, 3], [2, 9, 9, 3]],
  [[2, 9, 9, 3], []],
  [[], [2, 9, 9, 3]],
  [[2, 9, 9, 3], [3]],
  [[3], [2, 9, 9, 3]],
  [[4, 5, 6], [4, 1, 6]],
  [[4, 1, 6], [1, 5, 1]],
  [[64, 128], [64, 1]],
  [[], []],
];

Deno.test({
  name: "binary ops with broadcasting: native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, [as, bs]] of SHAPES.entries()) {
      for (const [name, op] of OPS) {
        await compareBackends(`${name} [${as}] [${bs}]`, () => {
          const a = rand(as, 1200 + i), b = rand(bs, 1300 + i);
          return op(a, b);
        }, { backend: "native" });
      }
    }
  },
});

Deno.test({
  name: "binary ops on native: an int32 operand runs the cpu kernel",
  ignore,
  fn: async () => {
    await setupBackends();
    await compareBackends("int32 add", () => {
      return tf.cast(tf.add(tf.tensor1d([1, 2, 3], "int32"), tf.scalar(4, "int32")), "float32");
    }, { backend: "native" });
  },
});

Deno.test({
  name: "binary ops on native: no tensor leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const a = rand([2, 5, 5, 4], 1), b = rand([4], 2);
    assertNoLeak("Multiply", () => tf.mul(a, b).dispose());
    tf.dispose([a, b]);
    await tf.setBackend("wasm");
  },
});
