/**
 * `FusedConv2D` on oneDNN (what tfjs-layers' Conv2D with bias calls through `tf.fused.conv2d`):
 * conv + bias (oneDNN's bias argument) + activation (an eltwise post-op: relu, relu6,
 * leakyrelu, elu, sigmoid). prelu runs the conv+bias here, then the native `Prelu` kernel. NCHW,
 * non-float32 or a bias that is not one value per output channel run the cpu kernel. The
 * gradient (tfjs-core's customGrad) calls Conv2DBackpropInput/Filter: native kernels too.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { nativeConvSupported } from "./conv_geometry.ts";
import { activationPostOp, convForward, isChannelBias } from "./conv_forward.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";
import { prelu } from "./prelu.ts";

/**
 * Shared by FusedConv2D and FusedDepthwiseConv2D: the fused forward on oneDNN, or null when
 * the caller must run the cpu kernel.
 */
export function fusedConvForward(
  backend: NativeBackend,
  inputs: tf.FusedConv2DInputs,
  options: { attrs: tf.FusedConv2DAttrs; depthwise: boolean },
): tf.TensorInfo | null {
  const { attrs, depthwise } = options;
  const x = inputs.x as tf.TensorInfo, filter = inputs.filter as tf.TensorInfo;
  const bias = inputs.bias as tf.TensorInfo | undefined;
  const preluW = inputs.preluActivationWeights as tf.TensorInfo | undefined;
  const tensors = [x, filter, ...(bias ? [bias] : []), ...(preluW ? [preluW] : [])];
  if (!nativeConvSupported(attrs.dataFormat, tensors)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1, // tfjs-layers passes null for "no dilation"
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    "channelsLast",
  );
  if (bias && !isChannelBias(bias, info.outChannels)) return null;
  const postOps = activationPostOp(attrs.activation, attrs.leakyreluAlpha);
  if (postOps === null && attrs.activation !== "prelu") return null;
  const y = convForward(backend, { x, filter, bias }, { info, depthwise, postOps: postOps ?? [] });
  if (postOps !== null) return y;
  // prelu: per-channel weights, not an eltwise post-op; the native Prelu kernel applies them
  // (it was the cpu kernel's per-element broadcast before).
  const out = prelu({ inputs: { x: y, alpha: preluW as tf.TensorInfo }, backend });
  backend.disposeData(y.dataId);
  return out;
}

function fusedConv2d(
  args: { inputs: tf.FusedConv2DInputs; backend: NativeBackend; attrs: tf.FusedConv2DAttrs },
): tf.TensorInfo {
  return fusedConvForward(args.backend, args.inputs, { attrs: args.attrs, depthwise: false }) ??
    runCpuKernel(tf.FusedConv2D, args as never) as tf.TensorInfo;
}

/** Kernel config of `FusedConv2D` on the native backend. */
export function fusedConv2dConfig(): tf.KernelConfig {
  return {
    kernelName: tf.FusedConv2D,
    backendName: "native",
    kernelFunc: fusedConv2d as unknown as tf.KernelFunc,
  };
}
