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
  name: "FusedBatchNorm (inference): native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    const shapes = [[2, 9, 9, 3], [3, 5, 7, 17], [8, 16], [1, 1, 1, 1], [5, 4, 6]];
    for (const [i, shape] of shapes.entries()) {
      const c = shape[shape.length - 1];
      await compareBackends(`batchNorm ${shape}`, () => {
        const x = tf.add(tf.mul(rand(shape, 800 + i), 3), 5);
        const mean = tf.add(rand([c], 810 + i), 5);
        const variance = tf.add(tf.abs(rand([c], 820 + i)), 0.1);
        const scale = rand([c], 830 + i), offset = rand([c], 840 + i);
        return [
          tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
          tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3),
          tf.batchNorm(x, mean, variance, offset, undefined, 1e-5),
        ];
      }, { backend: "native" });
    }
    // Statistics that are not per channel go to the cpu kernel.
    await compareBackends("batchNorm full-size mean", () => {
      const x = rand([2, 3, 4], 850);
      return tf.batchNorm(x, rand([2, 3, 4], 851), tf.add(tf.abs(rand([2, 3, 4], 852)), 0.5));
    }, { backend: "native" });
  },
});

Deno.test({
  name: "FusedBatchNorm (inference) on native: no tensor or buffer leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const x = rand([2, 5, 5, 4], 1), m = rand([4], 2), v = tf.add(tf.abs(rand([4], 3)), 1);
    assertNoLeak("FusedBatchNorm", () => tf.batchNorm(x, m, v, m, v).dispose());
    tf.dispose([x, m, v]);
    await tf.setBackend("wasm");
  },
});
