/**
 * `DepthwiseConv2dNative` on oneDNN: a grouped convolution with groups = input channels,
 * x [N, H, W, C] (nhwc) * filter [kh, kw, C, mult] (`hwigo` on [C, mult, 1, kh, kw], in place)
 * -> y [N, OH, OW, C * mult] (nhwc). NCHW or non-float32 runs the cpu kernel.
 *
 * Speed (measured, not yet fixed): with weights in TF's layout (`hwigo`) oneDNN 2.6 picks
 * `gemm:jit` (a gemm per group), which on 8x56x56x64 3x3 is ~3x slower than wasm forward and
 * ~10x in backprop input (conv_speed_bench.ts). With weights `format_tag_any` it picks
 * `jit_dw:avx2` with the same nhwc src/dst and weights `Abcde8a` (groups blocked by 8;
 * `DNNL_VERBOSE=2`): the next step is repacking the (tiny) filter into that layout per call
 * and the weight gradient back out of it.
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
    attrs.dilations,
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
