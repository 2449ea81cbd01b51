/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm (missing upstream, tfjs#8474).
 *
 * dx is the forward XNNPACK depthwise convolution of dy (zero-inserted for stride > 1 and
 * padded by filter-1-pad) with the spatially flipped filter; with a channel multiplier m > 1
 * the m outputs of every input channel are then summed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { convInfoNHWC } from "./conv2d_backprop_filter.ts";
import { transposedConvInput } from "./conv2d_backprop_input.ts";
import { withScope } from "./kernel_util.ts";

function depthwiseConv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const inputShape = attrs.inputShape as number[];
  const info = convInfoNHWC(
    "DepthwiseConv2dNativeBackpropInput",
    inputShape,
    filter.shape,
    attrs,
    true,
  );
  const [kh, kw, ci, m] = filter.shape;
  return withScope(args.backend, (s) => {
    const { input, pad } = transposedConvInput(s, dy, info); // [b, h', w', ci*m]
    const flipped = s.runStock("Reverse", { x: filter }, { dims: [0, 1] });
    const w = s.reshape(flipped, [kh, kw, ci * m, 1]); // one output per dy channel
    const dx = s.runStock("DepthwiseConv2dNative", { x: input, filter: w }, {
      strides: [1, 1],
      pad,
      dilations: [1, 1],
    }); // [b, h, w, ci*m]
    if (m === 1) return dx;
    const [b, h, wd] = dx.shape;
    const grouped = s.reshape(dx, [b, h, wd, ci, m]);
    return s.runStock("Sum", { x: grouped }, { axis: [4], keepDims: false }); // [b, h, w, ci]
  });
}

/** Config of the wasm `DepthwiseConv2dNativeBackpropInput` kernel. */
export function depthwiseConv2dBackpropInputConfig(): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: "wasm",
    kernelFunc: depthwiseConv2dBackpropInput as unknown as tf.KernelFunc,
  };
}
