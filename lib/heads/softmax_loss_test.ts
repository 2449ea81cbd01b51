import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertThrows } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { softmaxCrossEntropy } from "./softmax_loss.ts";

Deno.test("softmaxCrossEntropy matches hand computation and is stable for large logits", async () => {
  await setupBackend("cpu", { env: {} });
  const logits = tf.tensor2d([[1, 2, 3], [0, 0, 0], [1000, 0, -1000]]);
  const labels = tf.tensor1d([2, 1, 1], "int32");
  // row 0: log(e + e^2 + e^3) - 3; row 1: log 3; row 2: 1000 (+ log(1 + e^-1000 + ...) = 0)
  const rows = [Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3, Math.log(3), 1000];
  const loss = softmaxCrossEntropy(logits, labels);
  assertAlmostEquals((await loss.data())[0], (rows[0] + rows[1] + rows[2]) / 3, 1e-4);

  // d loss / d logits = (softmax - one_hot) / B
  const g = tf.grad((x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, labels))(logits);
  const gv = await g.array() as number[][];
  const z = Math.E + Math.E ** 2 + Math.E ** 3;
  const expected = [
    [Math.E / z / 3, Math.E ** 2 / z / 3, (Math.E ** 3 / z - 1) / 3],
    [1 / 9, (1 / 3 - 1) / 3, 1 / 9],
    [1 / 3, -1 / 3, 0],
  ];
  expected.forEach((r, i) =>
    r.forEach((v, j) => assertAlmostEquals(gv[i][j], v, 1e-6, `grad ${i},${j}`))
  );
  assert(gv.flat().every(Number.isFinite));
  tf.dispose([logits, labels, loss, g]);
});

Deno.test("softmaxCrossEntropy rejects mismatched shapes", async () => {
  await setupBackend("cpu", { env: {} });
  const logits = tf.zeros([2, 3]) as tf.Tensor2D;
  const labels = tf.tensor1d([0, 1, 2], "int32");
  assertThrows(() => softmaxCrossEntropy(logits, labels), Error);
  tf.dispose([logits, labels]);
});
