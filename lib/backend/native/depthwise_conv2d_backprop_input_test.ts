import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareBackends,
  DW_CASES,
  nativeUnavailable,
  rand,
  runOn,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;

Deno.test({
  name: "DepthwiseConv2dNativeBackpropInput: native matches cpu (wasm shapes)",
  ignore,
  fn: async () => {
    await setupBackends();
    // No dilated case: the cpu reference's loops ignore dilations here (and tfjs-core's
    // depthwise gradient refuses them), so cpu is no reference for it.
    const cases = DW_CASES.map((c) => ({ ...c, d: 1 }));
    for (const [i, c] of cases.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
      await compareBackends(`x ${c.x} filter ${fs} stride ${c.s} d ${c.d} ${c.pad}`, () => {
        const f = rand(fs, 70 + i);
        const probe = tf.depthwiseConv2d(
          tf.zeros(c.x) as tf.Tensor4D,
          f as tf.Tensor4D,
          c.s,
          c.pad,
          "NHWC",
          c.d,
        );
        const dy = rand(probe.shape, 80 + i);
        return tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: f }, {
          strides: c.s,
          pad: c.pad,
          dilations: c.d,
          inputShape: c.x,
        }) as tf.Tensor;
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "depthwiseConv2d gradients (input and filter): native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, c] of DW_CASES.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
      await compareBackends(`grad depthwise x ${c.x} f ${fs} s ${c.s} ${c.pad}`, () => {
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad)));
        return tf.grads(loss)([rand(c.x, 90 + i), rand(fs, 100 + i)]);
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "DepthwiseConv2dNativeBackpropInput: no tensor or buffer leak on native",
  ignore,
  fn: async () => {
    await setupBackends();
    await runOn("native", () => {
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
      return f;
    });
  },
});
