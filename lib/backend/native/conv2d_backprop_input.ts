/**
 * `Conv2DBackpropInput` on oneDNN (convolution backward_data): dy [N, OH, OW, Cout] (nhwc) and
 * filter [kh, kw, Cin, Cout] (hwio) -> dx [N, H, W, Cin] (nhwc). oneDNN needs the forward
 * primitive descriptor of the same problem as a hint ({@linkcode convForwardHint}). NCHW or
 * non-float32 runs the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, DNNL } from "./dnnl_library.ts";
import {
  convDescs,
  convForwardHint,
  convWeights,
  dnnlConvGeometry,
  nativeConvSupported,
  weightsFor,
} from "./conv_geometry.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

/**
 * Shared by Conv2DBackpropInput and DepthwiseConv2dNativeBackpropInput: runs oneDNN's
 * backward-data convolution of `info` (depthwise: grouped weights) on dy and filter.
 */
export function convBackpropInput(
  backend: NativeBackend,
  tensors: { dy: tf.TensorInfo; filter: tf.TensorInfo },
  options: { info: tf.backend_util.Conv2DInfo; depthwise: boolean },
): tf.TensorInfo {
  const { info, depthwise } = options;
  const g = dnnlConvGeometry(info);
  const w = convWeights(info, depthwise);
  const dnnl = backend.dnnl;
  const prim = dnnl.primitive(`conv_bwd_data|${w.dims}|${w.tag}|${g.key}`, () => {
    const d = convDescs(dnnl, g, w);
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_dilated_convolution_backward_data_desc_init(
        op,
        DNNL.alg.convolutionDirect,
        d.src,
        d.weights,
        d.dst,
        g.strides,
        g.dilates,
        g.padL,
        g.padR,
      ),
      `describing a backward-data convolution ${g.key}`,
    );
    return {
      op,
      hint: convForwardHint(dnnl, g, w),
      args: [[DNNL.arg.diffSrc, d.src], [DNNL.arg.weights, d.weights], [
        DNNL.arg.diffDst,
        d.dst,
      ]],
    };
  });
  const out = backend.output(info.inShape);
  dnnl.execute(prim, [
    [DNNL.arg.diffDst, backend.f32(tensors.dy)],
    [DNNL.arg.weights, weightsFor(backend.f32(tensors.filter), w, info)],
    [DNNL.arg.diffSrc, out.values],
  ]);
  return out.info;
}

function conv2dBackpropInput(
  args: {
    inputs: tf.Conv2DBackpropInputInputs;
    backend: NativeBackend;
    attrs: tf.Conv2DBackpropInputAttrs;
  },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo, filter = inputs.filter as tf.TensorInfo;
  if (!nativeConvSupported(attrs.dataFormat, [dy, filter])) {
    return runCpuKernel(tf.Conv2DBackpropInput, args as never) as tf.TensorInfo;
  }
  // TF's Conv2DBackpropInput has no dilations (tfjs-core passes 1).
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
  return convBackpropInput(backend, { dy, filter }, { info, depthwise: false });
}

/** Kernel config of `Conv2DBackpropInput` on the native backend. */
export function conv2dBackpropInputConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: "native",
    kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
  };
}
