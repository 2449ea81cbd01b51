/**
 * `DepthwiseConv2dNativeBackpropInput` on oneDNN: the grouped backward-data convolution of
 * conv2d_backprop_input.ts (groups = input channels): dy [N, OH, OW, C * mult] and filter
 * [kh, kw, C, mult] -> dx [N, H, W, C]. Non-float32 runs the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { nativeConvSupported } from "./conv_geometry.ts";
import { convBackpropInput } from "./conv2d_backprop_input.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

function depthwiseBackpropInput(
  args: {
    inputs: tf.DepthwiseConv2dNativeBackpropInputInputs;
    backend: NativeBackend;
    attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs;
  },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo, filter = inputs.filter as tf.TensorInfo;
  if (!nativeConvSupported("NHWC", [dy, filter])) {
    return runCpuKernel(tf.DepthwiseConv2dNativeBackpropInput, args as never) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1, // tfjs-layers passes null for "no dilation"
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return convBackpropInput(backend, { dy, filter }, { info, depthwise: true });
}

/** Kernel config of `DepthwiseConv2dNativeBackpropInput` on the native backend. */
export function depthwiseConv2dBackpropInputConfig(): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: "native",
    kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
  };
}
