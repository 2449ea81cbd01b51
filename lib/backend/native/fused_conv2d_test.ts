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

const ACTIVATIONS = ["linear", "relu", "relu6", "leakyrelu", "elu", "sigmoid", "prelu"] as const;

Deno.test({
  name: "FusedConv2D: native matches cpu (wasm shapes, every activation, dilation, no bias)",
  ignore,
  fn: async () => {
    await setupBackends();
    const cases = [
      ...CONV_FILTER_CASES.map((c) => ({ ...c, dilation: 1 })),
      {
        x: [1, 12, 11, 3] as [number, number, number, number],
        k: 3,
        co: 4,
        stride: 1,
        pad: "same" as const,
        dilation: 2,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
      for (const [j, activation] of ACTIVATIONS.entries()) {
        const withBias = j !== 2; // relu6 without bias: the no-bias path
        await compareBackends(
          `x ${c.x} f ${fs} s ${c.stride} ${c.pad} d ${c.dilation} ${activation} bias ${withBias}`,
          () =>
            tf.fused.conv2d({
              x: rand(c.x, 10 + i) as tf.Tensor4D,
              filter: rand(fs, 20 + i) as tf.Tensor4D,
              strides: c.stride,
              pad: c.pad,
              dilations: c.dilation,
              bias: withBias ? rand([c.co], 30 + i) : undefined,
              activation,
              preluActivationWeights: activation === "prelu" ? rand([c.co], 40 + i) : undefined,
              leakyreluAlpha: 0.3,
            }),
          { backend: "native" },
        );
      }
    }
  },
});

Deno.test({
  name: "FusedConv2D: gradients land on the native backprop kernels and match cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    for (const [i, c] of CONV_FILTER_CASES.slice(0, 3).entries()) {
      const fs: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
      await compareBackends(`grad fused conv2d x ${c.x} k ${c.k} s ${c.stride}`, () => {
        const loss = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: f as tf.Tensor4D,
            strides: c.stride,
            pad: c.pad,
            bias: b,
            activation: "relu",
          })));
        return tf.grads(loss)([rand(c.x, 50 + i), rand(fs, 60 + i), rand([c.co], 70 + i)]);
      }, { backend: "native" });
    }
    // The kernels the gradient ran on native, and that native's are ours, not cpu's copies.
    await tf.setBackend("native");
    const x = rand([1, 5, 5, 2], 1) as tf.Tensor4D, f = rand([3, 3, 2, 3], 2) as tf.Tensor4D;
    const b = rand([3], 3);
    const profile = await tf.profile(() =>
      tf.grads((u: tf.Tensor, v: tf.Tensor) =>
        tf.sum(tf.fused.conv2d({
          x: u as tf.Tensor4D,
          filter: v as tf.Tensor4D,
          strides: 1,
          pad: "same",
          bias: b,
        }))
      )([x, f])
    );
    tf.dispose([x, f, b]);
    await tf.setBackend("wasm");
    const ran = new Set(profile.kernelNames);
    for (const k of ["FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"]) {
      if (!ran.has(k)) throw new Error(`the fused conv2d gradient did not run ${k}: ${[...ran]}`);
      if (tf.getKernel(k, "native")?.kernelFunc === tf.getKernel(k, "cpu")?.kernelFunc) {
        throw new Error(`${k} on native is the cpu kernel`);
      }
    }
  },
});

Deno.test({
  name: "FusedConv2D: NCHW falls back to the cpu kernel; no tensor or buffer leak",
  ignore,
  fn: async () => {
    await setupBackends();
    // cpu's FusedConv2D accepts NCHW; native must return its result.
    await compareBackends("NCHW", () =>
      tf.fused.conv2d({
        x: rand([1, 3, 6, 6], 1) as tf.Tensor4D,
        filter: rand([3, 3, 3, 2], 2) as tf.Tensor4D,
        strides: 1,
        pad: "same",
        dataFormat: "NCHW",
      }), { backend: "native" });
    await runOn("native", () => {
      const x = rand([2, 9, 9, 3], 1) as tf.Tensor4D, f = rand([3, 3, 3, 4], 2) as tf.Tensor4D;
      const b = rand([4], 3), a = rand([4], 4);
      for (const activation of ["relu", "prelu"] as const) {
        assertNoLeak(`FusedConv2D ${activation}`, () => {
          tf.fused.conv2d({
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
