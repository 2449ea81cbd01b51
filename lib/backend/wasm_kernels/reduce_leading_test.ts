import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "../../../tests/support/assert.ts";
import { middleBlock } from "./reduce_leading.ts";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("middleBlock: only consecutive, non-innermost axis blocks", () => {
  assertEquals(middleBlock([2, 3, 4, 5], [0, 1, 2]), [1, 24, 5]);
  assertEquals(middleBlock([2, 3, 4, 5], [1, 2]), [2, 12, 5]);
  assertEquals(middleBlock([2, 3, 4, 5], [3]), null);
  assertEquals(middleBlock([2, 3, 4, 5], [0, 2]), null);
});

Deno.test("Sum and Mean: wasm matches cpu", async () => {
  await setupBackends();
  const cases: [number[], number[], boolean][] = [
    [[2, 5, 7, 3], [0, 1, 2], false],
    [[2, 5, 7, 3], [1, 2], true],
    [[4, 9], [0], false],
    [[2, 5, 7, 3], [3], false],
    [[2, 5, 7, 3], [0, 2], true],
  ];
  for (const [i, [shape, axes, keep]] of cases.entries()) {
    await compareWithCpu(`sum/mean ${shape} axes ${axes} keepDims ${keep}`, () => {
      const x = rand(shape, 400 + i);
      return [tf.sum(x, axes, keep), tf.mean(x, axes, keep)];
    });
  }
  await compareWithCpu(
    "int32 sum falls back",
    () => tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32"), 0),
  );
});

Deno.test("Sum and Mean: no tensor or buffer leak", async () => {
  await setupBackends();
  const x = rand([2, 5, 7, 3], 1);
  assertNoLeak("Sum/Mean", () => {
    tf.sum(x, [0, 1, 2]).dispose();
    tf.mean(x, [1, 2], true).dispose();
    tf.sum(x, [0, 2]).dispose();
  });
  x.dispose();
});
