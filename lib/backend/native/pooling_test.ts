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

Deno.test({
  name: "MaxPool gradient: native matches cpu (same / valid, strides 1 and 2, odd sizes)",
  ignore,
  fn: async () => {
    await setupBackends();
    const cases: [number[], number, number, "same" | "valid"][] = [
      [[2, 9, 9, 3], 3, 2, "same"], // ResNet50's 3x3/2 pool
      [[2, 9, 9, 3], 3, 2, "valid"],
      [[1, 10, 11, 4], 2, 2, "valid"],
      [[2, 8, 8, 5], 3, 1, "same"],
      [[2, 56, 56, 16], 3, 2, "same"],
    ];
    for (const [i, [shape, k, s, pad]] of cases.entries()) {
      await compareBackends(`maxPool grad ${shape} k${k} s${s} ${pad}`, () => {
        const x = rand(shape, 1700 + i);
        const probe = tf.maxPool(x as tf.Tensor4D, k, s, pad);
        const w = rand(probe.shape, 1710 + i);
        return tf.grad((a: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, s, pad), w))
        )(
          x,
        );
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "MaxPool and AvgPool forward: native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, shape] of [[2, 9, 9, 3], [1, 10, 11, 4], [2, 8, 8, 5]].entries()) {
      await compareBackends(`pools ${shape}`, () => {
        const x = rand(shape, 1800 + i) as tf.Tensor4D;
        return [
          tf.maxPool(x, 3, 2, "valid"),
          tf.maxPool(x, 3, 2, "same"),
          tf.avgPool(x, 2, 2, "valid"),
          tf.avgPool(x, 3, 2, "same"), // edge windows average in-bounds pixels only
          tf.avgPool(x, 3, 1, "same"),
        ];
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "MaxPool gradient on native: no tensor leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const x = rand([2, 9, 9, 3], 1);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 3, 2, "same")));
    assertNoLeak("MaxPoolGrad", () => g(x).dispose());
    x.dispose();
    await tf.setBackend("wasm");
  },
});
