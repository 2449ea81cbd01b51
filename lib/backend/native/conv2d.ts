/**
 * `Conv2D` on oneDNN: x [N, H, W, Cin] (nhwc) * filter [kh, kw, Cin, Cout] (hwio)
 * -> y [N, OH, OW, Cout] (nhwc), forward_training propagation (same numerics as inference;
 * training keeps the primitive shared with the backward passes' hint). NCHW input falls back
 * to the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { convForward } from "./conv_forward.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

function conv2d(
  args: { inputs: tf.Conv2DInputs; backend: NativeBackend; attrs: tf.Conv2DAttrs },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo, filter = inputs.filter as tf.TensorInfo;
  const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (format !== "channelsLast" || x.dtype !== "float32" || filter.dtype !== "float32") {
    return runCpuKernel(tf.Conv2D, args as never) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1, // tfjs-layers passes null for "no dilation"
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    format,
  );
  return convForward(backend, { x, filter }, { info, depthwise: false });
}

/** Kernel config of `Conv2D` on the native backend. */
export function conv2dConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2D,
    backendName: "native",
    kernelFunc: conv2d as unknown as tf.KernelFunc,
  };
}
