import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareBackends,
  nativeUnavailable,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

/** Same batches as the wasm test: plain, broadcast b, broadcast a, full batch, 2 batch dims. */
const BATCHES: [number[], number[]][] = [[[], []], [[3], [1]], [[1], [3]], [[2], [2]], [[2, 3], [
  2,
  3,
]]];

await setupBackends();
const ignore = nativeUnavailable !== null;

Deno.test({
  name: "BatchMatMul: native matches cpu for all transpose combos and batches",
  ignore,
  fn: async () => {
    await setupBackends();
    const [m, k, n] = [7, 13, 5];
    let seed = 200;
    for (const [ba, bb] of BATCHES) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const sa = [...ba, ...(ta ? [k, m] : [m, k])];
          const sb = [...bb, ...(tb ? [n, k] : [k, n])];
          const s = seed++;
          await compareBackends(
            `a ${sa} b ${sb} tA ${ta} tB ${tb}`,
            () => tf.matMul(rand(sa, s), rand(sb, s + 1000), ta, tb),
            { backend: "native" },
          );
        }
      }
    }
  },
});

Deno.test({
  name: "matMul gradients and fused matMul (dense layer shapes): native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, [m, k, n]] of [[8, 64, 10], [5, 3, 300], [16, 33, 17]].entries()) {
      await compareBackends(`grad matMul ${m}x${k}x${n}`, () => {
        const a = rand([m, k], 300 + i), b = rand([k, n], 310 + i);
        const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y)));
        return tf.grads(loss)([a, b]);
      }, { backend: "native" });
      for (const activation of ["linear", "relu", "elu"] as const) {
        for (const [ta, tb] of [[false, false], [true, true]]) {
          await compareBackends(`fused ${activation} ${m}x${k}x${n} tA ${ta}`, () => {
            const a = rand(ta ? [k, m] : [m, k], 320 + i), b = rand(tb ? [n, k] : [k, n], 330 + i);
            const bias = rand([n], 340 + i);
            return [
              tf.fused.matMul({ a, b, bias, activation, transposeA: ta, transposeB: tb }),
              tf.fused.matMul({ a, b, activation, transposeA: ta, transposeB: tb }),
            ];
          }, { backend: "native" });
        }
      }
    }
  },
});

Deno.test({
  name: "BatchMatMul and _FusedMatMul on native: no tensor or buffer leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const a = rand([2, 7, 5], 1), b = rand([2, 6, 5], 2), c = rand([5, 6], 3);
    const d = rand([7, 5], 4), bias = rand([6], 5);
    assertNoLeak("BatchMatMul", () => {
      tf.matMul(a, b, false, true).dispose();
      tf.matMul(a, c).dispose();
      tf.matMul(a, a, true, false).dispose();
      tf.matMul(b, c, true, true).dispose();
      tf.fused.matMul({ a: d, b: c, bias, activation: "relu" }).dispose();
    });
    tf.dispose([a, b, c, d, bias]);
    await tf.setBackend("wasm");
  },
});
