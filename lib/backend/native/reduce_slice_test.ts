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
  name: "Sum and Mean over any axes: native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    const cases: [number[], number | number[]][] = [
      [[2, 9, 9, 3], [0, 1, 2]], // per-channel: bias and BN gradients
      [[2, 9, 9, 3], -1],
      [[8, 16], 0],
      [[4, 5, 6], [0, 2]],
      [[4, 5, 6], [0, 1, 2]],
      [[7], 0],
      [[1], 0], // reduces nothing: the cpu kernel (oneDNN refuses it)
      [[4, 1, 6], 1],
      [[8, 28, 28, 64], [0, 1, 2]], // the sgemm path at a real conv-bias size
      [[3, 5, 7], [2, 1]], // trailing axes, unsorted: the sgemm path
      [[3, 5, 7], [1]], // a middle axis: the reduction primitive
    ];
    for (const [i, [shape, axis]] of cases.entries()) {
      for (const keepDims of [false, true]) {
        await compareBackends(`sum/mean [${shape}] axis ${axis} keepDims ${keepDims}`, () => {
          const x = rand(shape, 1400 + i);
          return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)];
        }, { backend: "native" });
      }
    }
    await compareBackends("int32 sum (cpu kernel)", () => {
      return tf.cast(tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32"), 0), "float32");
    }, { backend: "native" });
  },
});

Deno.test({
  name: "Slice (strided and contiguous) and the PadV2 gradient: native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    await compareBackends("slices", () => {
      const x = rand([2, 9, 9, 3], 1500);
      return [
        tf.slice(x, [0, 1, 2, 0], [2, 7, 6, 3]), // strided
        tf.slice(x, [1, 0, 0, 1], [1, 9, 9, 2]),
        tf.slice(x, [1, 0, 0, 0], [1, 9, 9, 3]), // contiguous: the cpu kernel's view
        tf.slice(rand([5, 6], 1501), [1, 2], [3, -1]),
      ];
    }, { backend: "native" });
    await compareBackends("PadV2", () => {
      const x = rand([2, 9, 9, 3], 1504);
      return [
        tf.pad(x, [[0, 0], [1, 1], [1, 2], [0, 0]]),
        tf.pad(x, [[1, 0], [0, 3], [2, 2], [1, 1]], 0.5),
      ];
    }, { backend: "native" });
    await compareBackends("PadV2 gradient", () => {
      const x = rand([2, 9, 9, 3], 1502), w = rand([2, 11, 12, 3], 1503);
      return tf.grad((a: tf.Tensor) =>
        tf.sum(tf.mul(tf.pad(a, [[0, 0], [1, 1], [1, 2], [0, 0]]), w))
      )(x);
    }, { backend: "native" });
  },
});

Deno.test({
  name: "Sum and Slice on native: no tensor leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const x = rand([2, 5, 5, 4], 1);
    assertNoLeak("Sum", () => tf.sum(x, [0, 1, 2]).dispose());
    assertNoLeak("Slice", () => tf.slice(x, [0, 1, 1, 0], [2, 3, 3, 4]).dispose());
    x.dispose();
    await tf.setBackend("wasm");
  },
});
