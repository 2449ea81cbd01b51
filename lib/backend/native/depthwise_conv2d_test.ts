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
  name: "DepthwiseConv2dNative: native matches cpu (wasm shapes + dilation + explicit padding)",
  ignore,
  fn: async () => {
    await setupBackends();
    const explicit = [[0, 0], [1, 2], [0, 1], [0, 0]] as tf.backend_util.ExplicitPadding;
    const cases = [
      ...DW_CASES.map((c) => ({ ...c, d: 1, padding: c.pad as typeof c.pad | typeof explicit })),
      {
        x: [1, 12, 11, 3] as [number, number, number, number],
        k: 3,
        m: 2,
        s: 1,
        d: 2,
        padding: "same" as const,
      },
      {
        x: [1, 9, 8, 2] as [number, number, number, number],
        k: 3,
        m: 1,
        s: 2,
        d: 1,
        padding: explicit,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
      await compareBackends(
        `x ${c.x} f ${fs} s ${c.s} d ${c.d} ${c.padding}`,
        () =>
          tf.depthwiseConv2d(
            rand(c.x, 10 + i) as tf.Tensor4D,
            rand(fs, 20 + i) as tf.Tensor4D,
            c.s,
            c.padding,
            "NHWC",
            c.d,
          ),
        { backend: "native" },
      );
    }
  },
});

Deno.test({
  name: "DepthwiseConv2dNative: no tensor or buffer leak on native",
  ignore,
  fn: async () => {
    await setupBackends();
    await runOn("native", () => {
      const x = rand([2, 9, 9, 3], 1) as tf.Tensor4D, f = rand([3, 3, 3, 2], 2) as tf.Tensor4D;
      assertNoLeak("DepthwiseConv2dNative", () => tf.depthwiseConv2d(x, f, 2, "same").dispose());
      return x;
    });
  },
});
