/**
 * `DepthwiseConv2dNativeBackpropFilter` on oneDNN: the grouped backward-weights convolution
 * of conv2d_backprop_filter.ts (groups = input channels): x [N, H, W, C] and dy
 * [N, OH, OW, C * mult] -> dfilter [kh, kw, C, mult]. Non-float32 runs the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { nativeConvSupported } from "./conv_geometry.ts";
import { convBackpropFilter } from "./conv2d_backprop_filter.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

function depthwiseBackpropFilter(
  args: {
    inputs: tf.DepthwiseConv2dNativeBackpropFilterInputs;
    backend: NativeBackend;
    attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo, dy = inputs.dy as tf.TensorInfo;
  if (!nativeConvSupported("NHWC", [x, dy])) {
    return runCpuKernel(tf.DepthwiseConv2dNativeBackpropFilter, args as never) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1, // tfjs-layers passes null for "no dilation"
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return convBackpropFilter(backend, { x, dy }, { info, depthwise: true });
}

/** Kernel config of `DepthwiseConv2dNativeBackpropFilter` on the native backend. */
export function depthwiseConv2dBackpropFilterConfig(): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: "native",
    kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
  };
}
