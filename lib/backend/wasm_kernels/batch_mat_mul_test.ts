import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

/** [batchA, batchB] pairs: plain, broadcast b, broadcast a, full batch. */
const BATCHES: [number[], number[]][] = [[[], []], [[3], [1]], [[1], [3]], [[2], [2]], [[2, 3], [
  2,
  3,
]]];

Deno.test("BatchMatMul: wasm matches cpu for all transpose combos and batches", async () => {
  await setupBackends();
  const [m, k, n] = [7, 13, 5];
  let seed = 200;
  for (const [ba, bb] of BATCHES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const sa = [...ba, ...(ta ? [k, m] : [m, k])];
        const sb = [...bb, ...(tb ? [n, k] : [k, n])];
        const s = seed++;
        await compareWithCpu(
          `a ${sa} b ${sb} tA ${ta} tB ${tb}`,
          () => tf.matMul(rand(sa, s), rand(sb, s + 1000), ta, tb),
        );
      }
    }
  }
});

Deno.test("matMul gradients (dense layer shapes): wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, [m, k, n]] of [[8, 64, 10], [5, 3, 300], [16, 33, 17]].entries()) {
    await compareWithCpu(`grad matMul ${m}x${k}x${n}`, () => {
      const a = rand([m, k], 300 + i), b = rand([k, n], 310 + i);
      const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y)));
      return tf.grads(loss)([a, b]);
    });
  }
});

Deno.test("BatchMatMul: no tensor or buffer leak", async () => {
  await setupBackends();
  const a = rand([2, 7, 5], 1), b = rand([2, 6, 5], 2), c = rand([5, 6], 3);
  assertNoLeak("BatchMatMul", () => {
    tf.matMul(a, b, false, true).dispose();
    tf.matMul(a, c).dispose();
    tf.matMul(a, a, true, false).dispose();
    tf.matMul(b, c, true, true).dispose();
  });
  tf.dispose([a, b, c]);
});
