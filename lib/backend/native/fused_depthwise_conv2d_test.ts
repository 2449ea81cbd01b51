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

const ACTIVATIONS = ["linear", "relu", "relu6", "leakyrelu", "elu", "sigmoid", "prelu"] as const;

Deno.test({
  name: "FusedDepthwiseConv2D: native matches cpu (wasm shapes, every activation)",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, c] of DW_CASES.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
      const co = c.x[3] * c.m;
      for (const [j, activation] of ACTIVATIONS.entries()) {
        const withBias = j !== 2;
        await compareBackends(
          `x ${c.x} f ${fs} s ${c.s} ${c.pad} ${activation} bias ${withBias}`,
          () =>
            tf.fused.depthwiseConv2d({
              x: rand(c.x, 10 + i) as tf.Tensor4D,
              filter: rand(fs, 20 + i) as tf.Tensor4D,
              strides: c.s,
              pad: c.pad,
              bias: withBias ? rand([co], 30 + i) : undefined,
              activation,
              preluActivationWeights: activation === "prelu" ? rand([co], 40 + i) : undefined,
              leakyreluAlpha: 0.3,
            }),
          { backend: "native" },
        );
      }
    }
  },
});

Deno.test({
  name: "FusedDepthwiseConv2D: gradients match cpu; scalar bias falls back; no leak",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, c] of DW_CASES.slice(0, 4).entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.m];
      await compareBackends(`grad fused depthwise x ${c.x} f ${fs} s ${c.s}`, () => {
        const loss = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.depthwiseConv2d({
            x: x as tf.Tensor4D,
            filter: f as tf.Tensor4D,
            strides: c.s,
            pad: c.pad,
            bias: b,
            activation: "relu",
          })));
        return tf.grads(loss)([rand(c.x, 50 + i), rand(fs, 60 + i), rand([c.x[3] * c.m], 70 + i)]);
      }, { backend: "native" });
    }
    // A bias that is not one value per channel (a scalar) runs the cpu kernel.
    await compareBackends("scalar bias (cpu fallback)", () =>
      tf.fused.depthwiseConv2d({
        x: rand([1, 6, 6, 3], 1) as tf.Tensor4D,
        filter: rand([3, 3, 3, 1], 2) as tf.Tensor4D,
        strides: 1,
        pad: "same",
        bias: rand([1], 3),
        activation: "relu",
      }), { backend: "native" });
    await runOn("native", () => {
      const x = rand([2, 9, 9, 3], 1) as tf.Tensor4D, f = rand([3, 3, 3, 2], 2) as tf.Tensor4D;
      const b = rand([6], 3), a = rand([6], 4);
      for (const activation of ["relu6", "prelu"] as const) {
        assertNoLeak(`FusedDepthwiseConv2D ${activation}`, () => {
          tf.fused.depthwiseConv2d({
            x,
            filter: f,
            strides: 2,
            pad: "same",
            bias: b,
            activation,
            preluActivationWeights: activation === "prelu" ? a : undefined,
          }).dispose();
        });
      }
      return x;
    });
  },
});
