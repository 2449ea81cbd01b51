import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";
import { CONV_FILTER_CASES } from "../../../tests/support/conv_cases.ts";

const CASES = CONV_FILTER_CASES;

Deno.test("Conv2DBackpropFilter: wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, c] of CASES.entries()) {
    const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
    const label = `x ${c.x} filter ${fs} stride ${c.stride} ${c.pad}`;
    await compareWithCpu(label, () => {
      const x = rand(c.x, 10 + i);
      const probe = tf.conv2d(x as tf.Tensor4D, tf.zeros(fs), c.stride, c.pad);
      const dy = rand(probe.shape, 20 + i) as tf.Tensor4D;
      return tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: c.stride,
        pad: c.pad,
        dataFormat: "NHWC",
        filterShape: fs,
      }) as tf.Tensor;
    });
  }
});

Deno.test("conv2d gradients (input and filter): wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, c] of CASES.entries()) {
    const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
    await compareWithCpu(`grad conv2d x ${c.x} k ${c.k} s ${c.stride} ${c.pad}`, () => {
      const x = rand(c.x, 30 + i) as tf.Tensor4D;
      const f = rand(fs, 40 + i) as tf.Tensor4D;
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)));
      return tf.grads(loss)([x, f]);
    });
  }
});

Deno.test("Conv2DBackpropFilter: no tensor or buffer leak", async () => {
  await setupBackends();
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
  tf.dispose([x, dy]);
});
