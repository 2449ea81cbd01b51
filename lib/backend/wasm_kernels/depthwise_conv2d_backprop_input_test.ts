import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  DW_CASES,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("DepthwiseConv2dNativeBackpropInput: wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, c] of DW_CASES.entries()) {
    const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
    await compareWithCpu(`x ${c.x} filter ${fs} stride ${c.s} ${c.pad}`, () => {
      const f = rand(fs, 70 + i);
      const probe = tf.depthwiseConv2d(tf.zeros(c.x) as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad);
      const dy = rand(probe.shape, 80 + i);
      return tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: f }, {
        strides: c.s,
        pad: c.pad,
        dilations: 1,
        inputShape: c.x,
      }) as tf.Tensor;
    });
  }
});

Deno.test("depthwiseConv2d gradients (input and filter): wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, c] of DW_CASES.entries()) {
    const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
    await compareWithCpu(`grad depthwise x ${c.x} f ${fs} s ${c.s} ${c.pad}`, () => {
      const x = rand(c.x, 90 + i);
      const f = rand(fs, 100 + i);
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad)));
      return tf.grads(loss)([x, f]);
    });
  }
});

Deno.test("DepthwiseConv2dNativeBackpropInput: no tensor or buffer leak", async () => {
  await setupBackends();
  const f = rand([3, 3, 3, 2], 1);
  const dy = rand([2, 5, 5, 6], 2);
  assertNoLeak("DepthwiseConv2dNativeBackpropInput", () => {
    (tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: f }, {
      strides: 2,
      pad: "same",
      dilations: 1,
      inputShape: [2, 9, 9, 3],
    }) as tf.Tensor).dispose();
  });
  tf.dispose([f, dy]);
});
