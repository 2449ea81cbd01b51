import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  DW_CASES,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("DepthwiseConv2dNativeBackpropFilter: wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, c] of DW_CASES.entries()) {
    const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
    await compareWithCpu(`x ${c.x} filter ${fs} stride ${c.s} ${c.pad}`, () => {
      const x = rand(c.x, 110 + i);
      const probe = tf.depthwiseConv2d(x as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, c.s, c.pad);
      const dy = rand(probe.shape, 120 + i);
      return tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
        strides: c.s,
        pad: c.pad,
        dilations: 1,
        filterShape: fs,
      }) as tf.Tensor;
    });
  }
});

Deno.test("DepthwiseConv2dNativeBackpropFilter: no tensor or buffer leak", async () => {
  await setupBackends();
  const x = rand([2, 9, 9, 3], 1);
  const dy = rand([2, 5, 5, 6], 2);
  assertNoLeak("DepthwiseConv2dNativeBackpropFilter", () => {
    (tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
      strides: 2,
      pad: "same",
      dilations: 1,
      filterShape: [3, 3, 3, 2],
    }) as tf.Tensor).dispose();
  });
  tf.dispose([x, dy]);
});
