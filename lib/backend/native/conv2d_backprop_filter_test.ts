import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareBackends,
  nativeUnavailable,
  rand,
  runOn,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";
import { CONV_FILTER_CASES } from "../../../tests/support/conv_cases.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;

Deno.test({
  name: "Conv2DBackpropFilter: native matches cpu (wasm test shapes + explicit padding)",
  ignore,
  fn: async () => {
    await setupBackends();
    const explicit = [[0, 0], [1, 2], [0, 1], [0, 0]] as tf.backend_util.ExplicitPadding;
    const cases = [
      ...CONV_FILTER_CASES.map((c) => ({ ...c, padding: c.pad as typeof c.pad | typeof explicit })),
      {
        x: [1, 9, 8, 3] as [number, number, number, number],
        k: 3,
        co: 4,
        stride: 2,
        padding: explicit,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
      await compareBackends(`x ${c.x} filter ${fs} stride ${c.stride} ${c.padding}`, () => {
        const x = rand(c.x, 10 + i);
        const probe = tf.conv2d(x as tf.Tensor4D, tf.zeros(fs), c.stride, c.padding);
        const dy = rand(probe.shape, 20 + i) as tf.Tensor4D;
        return tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
          strides: c.stride,
          pad: c.padding,
          dataFormat: "NHWC",
          filterShape: fs,
        }) as tf.Tensor;
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "conv2d gradients (input and filter): native matches cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, c] of CONV_FILTER_CASES.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
      await compareBackends(`grad conv2d x ${c.x} k ${c.k} s ${c.stride} ${c.pad}`, () => {
        const x = rand(c.x, 30 + i) as tf.Tensor4D;
        const f = rand(fs, 40 + i) as tf.Tensor4D;
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)));
        return tf.grads(loss)([x, f]);
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "Conv2DBackpropFilter: no tensor or buffer leak on native",
  ignore,
  fn: async () => {
    await setupBackends();
    await runOn("native", () => {
      const x = rand([2, 9, 9, 3], 1) as tf.Tensor4D;
      const dy = rand([2, 5, 5, 4], 2) as tf.Tensor4D;
      assertNoLeak("Conv2DBackpropFilter 3x3/2", () => {
        (tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
          strides: 2,
          pad: "same",
          dataFormat: "NHWC",
          filterShape: [3, 3, 3, 4],
        }) as tf.Tensor).dispose();
      });
      return x;
    });
  },
});
