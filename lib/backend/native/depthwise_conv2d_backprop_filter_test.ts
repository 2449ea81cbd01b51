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
  name: "DepthwiseConv2dNativeBackpropFilter: native matches cpu (wasm shapes)",
  ignore,
  fn: async () => {
    await setupBackends();
    // No dilated case: the cpu reference's loops ignore dilations here (and tfjs-core's
    // depthwise gradient refuses them), so cpu is no reference for it.
    const cases = DW_CASES.map((c) => ({ ...c, d: 1 }));
    for (const [i, c] of cases.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
      await compareBackends(`x ${c.x} filter ${fs} stride ${c.s} d ${c.d} ${c.pad}`, () => {
        const x = rand(c.x, 110 + i);
        const probe = tf.depthwiseConv2d(
          x as tf.Tensor4D,
          tf.zeros(fs) as tf.Tensor4D,
          c.s,
          c.pad,
          "NHWC",
          c.d,
        );
        const dy = rand(probe.shape, 120 + i);
        return tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
          strides: c.s,
          pad: c.pad,
          dilations: c.d,
          filterShape: fs,
        }) as tf.Tensor;
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "DepthwiseConv2dNativeBackpropFilter: no tensor or buffer leak on native",
  ignore,
  fn: async () => {
    await setupBackends();
    await runOn("native", () => {
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
      return x;
    });
  },
});
