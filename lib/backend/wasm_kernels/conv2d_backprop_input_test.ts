import * as tf from "@tensorflow/tfjs-core";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";
import { CONV_INPUT_CASES } from "../../../tests/support/conv_cases.ts";

const CASES = CONV_INPUT_CASES;

Deno.test("Conv2DBackpropInput: wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, c] of CASES.entries()) {
    const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
    await compareWithCpu(`x ${c.x} filter ${fs} stride ${c.stride} ${c.pad}`, () => {
      const f = rand(fs, 50 + i);
      const probe = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad);
      const dy = rand(probe.shape, 60 + i);
      return tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: f }, {
        strides: c.stride,
        pad: c.pad,
        dataFormat: "NHWC",
        inputShape: c.x,
      }) as tf.Tensor;
    });
  }
});

Deno.test("Conv2DBackpropInput: no tensor or buffer leak", async () => {
  await setupBackends();
  const f = rand([3, 3, 3, 4], 1);
  const f1 = rand([1, 1, 3, 4], 3);
  const dy = rand([2, 5, 5, 4], 2);
  for (const [filter, label] of [[f, "3x3/2"], [f1, "1x1/2"]] as const) {
    assertNoLeak(`Conv2DBackpropInput ${label}`, () => {
      (tf.engine().runKernel("Conv2DBackpropInput", { dy, filter }, {
        strides: 2,
        pad: "same",
        dataFormat: "NHWC",
        inputShape: [2, 9, 9, 3],
      }) as tf.Tensor).dispose();
    });
  }
  tf.dispose([f, f1, dy]);
});
