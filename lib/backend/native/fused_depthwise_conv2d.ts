/**
 * `FusedDepthwiseConv2D` on oneDNN (tfjs-layers' DepthwiseConv2D with bias): the grouped
 * convolution of depthwise_conv2d.ts with bias and activation fused as in fused_conv2d.ts
 * (same fallbacks). Its gradient calls the DepthwiseConv2dNative backprops: native kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedConvForward } from "./fused_conv2d.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

function fusedDepthwiseConv2d(
  args: {
    inputs: tf.FusedDepthwiseConv2DInputs;
    backend: NativeBackend;
    attrs: tf.FusedDepthwiseConv2DAttrs;
  },
): tf.TensorInfo {
  return fusedConvForward(args.backend, args.inputs, { attrs: args.attrs, depthwise: true }) ??
    runCpuKernel(tf.FusedDepthwiseConv2D, args as never) as tf.TensorInfo;
}

/** Kernel config of `FusedDepthwiseConv2D` on the native backend. */
export function fusedDepthwiseConv2dConfig(): tf.KernelConfig {
  return {
    kernelName: tf.FusedDepthwiseConv2D,
    backendName: "native",
    kernelFunc: fusedDepthwiseConv2d as unknown as tf.KernelFunc,
  };
}
