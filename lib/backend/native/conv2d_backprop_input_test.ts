import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareBackends,
  nativeUnavailable,
  rand,
  runOn,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";
import { CONV_INPUT_CASES } from "../../../tests/support/conv_cases.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;

function backpropInput(
  c: { x: number[]; stride: number; pad: "same" | "valid" | number },
  f: tf.Tensor,
  dy: tf.Tensor,
  dataFormat: "NHWC" | "NCHW" = "NHWC",
): tf.Tensor {
  return tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: f }, {
    strides: c.stride,
    pad: c.pad,
    dataFormat,
    inputShape: c.x,
  }) as tf.Tensor;
}

Deno.test({
  name: "Conv2DBackpropInput: native matches cpu (wasm test shapes + explicit padding)",
  ignore,
  fn: async () => {
    await setupBackends();
    const cases = [
      ...CONV_INPUT_CASES,
      // Explicit padding, uneven on each side (cpu accepts it).
      { x: [1, 9, 8, 3] as [number, number, number, number], k: 3, co: 4, stride: 2, pad: 0 },
    ];
    for (const [i, c] of cases.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
      const pad = c.pad === 0
        ? [[0, 0], [1, 2], [0, 1], [0, 0]] as tf.backend_util.ExplicitPadding
        : c.pad;
      await compareBackends(`x ${c.x} filter ${fs} stride ${c.stride} ${pad}`, () => {
        const f = rand(fs, 50 + i);
        const probe = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, f as tf.Tensor4D, c.stride, pad);
        const dy = rand(probe.shape, 60 + i);
        return tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: f }, {
          strides: c.stride,
          pad,
          dataFormat: "NHWC",
          inputShape: c.x,
        }) as tf.Tensor;
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "Conv2DBackpropInput: NCHW falls back to the cpu kernel on native",
  ignore,
  fn: async () => {
    await setupBackends();
    // The cpu kernel itself supports NCHW here; native must give its result, not oneDNN's nhwc.
    const c = { x: [1, 3, 7, 7], stride: 1, pad: "same" as const };
    await compareBackends("NCHW", () => {
      return backpropInput(c, rand([3, 3, 3, 2], 5), rand([1, 2, 7, 7], 6), "NCHW");
    }, { backend: "native" });
  },
});

Deno.test({
  name: "Conv2DBackpropInput: no tensor or buffer leak on native",
  ignore,
  fn: async () => {
    await setupBackends();
    await runOn("native", () => {
      const f = rand([3, 3, 3, 4], 1);
      const f1 = rand([1, 1, 3, 4], 3);
      const dy = rand([2, 5, 5, 4], 2);
      for (const [filter, label] of [[f, "3x3/2"], [f1, "1x1/2"]] as const) {
        assertNoLeak(`Conv2DBackpropInput ${label}`, () => {
          backpropInput({ x: [2, 9, 9, 3], stride: 2, pad: "same" }, filter, dy).dispose();
        });
      }
      return f;
    });
  },
});
