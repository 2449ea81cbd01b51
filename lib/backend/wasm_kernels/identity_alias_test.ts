import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "../../../tests/support/assert.ts";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("Identity/Cast alias: values, and the copy outlives its source", async () => {
  await setupBackends();
  await compareWithCpu("clone, same-dtype cast, int cast, bool cast", () => {
    const x = rand([3, 5, 7], 1);
    return [
      tf.clone(x),
      tf.cast(x, "float32"),
      tf.cast(tf.mul(x, 10), "int32"),
      tf.cast(tf.greater(x, 0), "float32"),
      tf.cast(tf.tensor1d([1, -2, 3], "int32"), "int32"),
    ];
  });
  const x = rand([4, 3], 2);
  const want = Array.from(x.dataSync());
  const y = tf.clone(x), z = tf.cast(x, "float32");
  x.dispose();
  assertEquals(Array.from(y.dataSync()), want);
  y.dispose();
  assertEquals(Array.from(z.dataSync()), want);
  z.dispose();
});

Deno.test("Identity/Cast alias: saved tensors in gradients match cpu", async () => {
  await setupBackends();
  await compareWithCpu("grad through saved tensors", () => {
    const x = rand([2, 6, 5], 3);
    return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.square(a), tf.exp(tf.clone(a)))))(x);
  });
});

Deno.test("Identity/Cast alias: no tensor, buffer or byte leak", async () => {
  await setupBackends();
  const x = rand([16, 33], 4);
  const bytes = () => tf.memory().numBytes;
  const before = bytes();
  assertNoLeak("Identity/Cast", () => {
    tf.clone(x).dispose();
    tf.cast(x, "float32").dispose();
    const y = tf.clone(x);
    const z = tf.clone(y);
    y.dispose();
    z.dispose();
    tf.dispose(tf.grad((a: tf.Tensor) => tf.sum(tf.square(a)))(x));
  });
  assertEquals(bytes(), before);
  x.dispose();
});
