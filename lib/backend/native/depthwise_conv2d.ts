/**
 * `DepthwiseConv2dNative` on oneDNN: a grouped convolution with groups = input channels,
 * x [N, H, W, C] (nhwc) * filter [kh, kw, C, mult] (`hwigo` on [C, mult, 1, kh, kw], in place)
 * -> y [N, OH, OW, C * mult] (nhwc). NCHW or non-float32 runs the cpu kernel.
 *
 * Speed: with mult 1 the filter is repacked into `Goihw8g` per call (see `convWeights`):
 * oneDNN then runs `jit_dw:avx2` instead of a gemm per group, 8x56x56x64 3x3 forward 10.2 ->
 * 2.4 ms, backprop input 38.1 -> 2.8 ms, backprop filter 20.1 -> 1.0 ms (2 threads,
 * conv_speed_bench.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { nativeConvSupported } from "./conv_geometry.ts";
import { convForward } from "./conv_forward.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

function depthwiseConv2d(
  args: {
    inputs: tf.DepthwiseConv2dNativeInputs;
    backend: NativeBackend;
    attrs: tf.DepthwiseConv2dNativeAttrs;
  },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo, filter = inputs.filter as tf.TensorInfo;
  if (!nativeConvSupported(attrs.dataFormat, [x, filter])) {
    return runCpuKernel(tf.DepthwiseConv2dNative, args as never) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1, // tfjs-layers passes null for "no dilation"
    attrs.pad,
    attrs.dimRoundingMode,
    true,
    "channelsLast",
  );
  return convForward(backend, { x, filter }, { info, depthwise: true });
}

/** Kernel config of `DepthwiseConv2dNative` on the native backend. */
export function depthwiseConv2dConfig(): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNative,
    backendName: "native",
    kernelFunc: depthwiseConv2d as unknown as tf.KernelFunc,
  };
}
