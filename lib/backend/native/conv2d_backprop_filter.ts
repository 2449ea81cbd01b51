/**
 * `Conv2DBackpropFilter` on oneDNN (convolution backward_weights, no bias): x [N, H, W, Cin]
 * (nhwc) and dy [N, OH, OW, Cout] (nhwc) -> dfilter [kh, kw, Cin, Cout] (hwio). NCHW or
 * non-float32 runs the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, DNNL } from "./dnnl_library.ts";
import {
  blockedDepthwiseSize,
  convDescs,
  convForwardHint,
  convWeights,
  dnnlConvGeometry,
  nativeConvSupported,
  packDepthwise,
} from "./conv_geometry.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

/**
 * Shared by Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter: runs oneDNN's
 * backward-weights convolution of `info` (depthwise: grouped weights) on x and dy.
 */
export function convBackpropFilter(
  backend: NativeBackend,
  tensors: { x: tf.TensorInfo; dy: tf.TensorInfo },
  options: { info: tf.backend_util.Conv2DInfo; depthwise: boolean },
): tf.TensorInfo {
  const { info, depthwise } = options;
  const g = dnnlConvGeometry(info);
  const w = convWeights(info, depthwise);
  const dnnl = backend.dnnl;
  const prim = dnnl.primitive(`conv_bwd_weights|${w.dims}|${w.tag}|${g.key}`, () => {
    const d = convDescs(dnnl, g, w);
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_dilated_convolution_backward_weights_desc_init(
        op,
        DNNL.alg.convolutionDirect,
        d.src,
        d.weights,
        null,
        d.dst,
        g.strides,
        g.dilates,
        g.padL,
        g.padR,
      ),
      `describing a backward-weights convolution ${g.key}`,
    );
    return {
      op,
      hint: convForwardHint(dnnl, g, w),
      args: [[DNNL.arg.src, d.src], [DNNL.arg.diffWeights, d.weights], [
        DNNL.arg.diffDst,
        d.dst,
      ]],
    };
  });
  // TF's filter: [kh, kw, Cin, Cout] (depthwise: [kh, kw, C, multiplier]).
  const last = depthwise ? info.outChannels / info.inChannels : info.outChannels;
  const out = backend.output([info.filterHeight, info.filterWidth, info.inChannels, last]);
  const taps = info.filterHeight * info.filterWidth;
  const diff = w.blocked
    ? new Float32Array(blockedDepthwiseSize(info.inChannels, taps))
    : out.values;
  dnnl.execute(prim, [
    [DNNL.arg.src, backend.f32(tensors.x)],
    [DNNL.arg.diffDst, backend.f32(tensors.dy)],
    [DNNL.arg.diffWeights, diff],
  ]);
  if (w.blocked) {
    packDepthwise(out.values, diff, { channels: info.inChannels, taps, unpack: true });
  }
  return out.info;
}

function conv2dBackpropFilter(
  args: {
    inputs: tf.Conv2DBackpropFilterInputs;
    backend: NativeBackend;
    attrs: tf.Conv2DBackpropFilterAttrs;
  },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo, dy = inputs.dy as tf.TensorInfo;
  if (!nativeConvSupported(attrs.dataFormat, [x, dy])) {
    return runCpuKernel(tf.Conv2DBackpropFilter, args as never) as tf.TensorInfo;
  }
  // TF's Conv2DBackpropFilter has no dilations (tfjs-core passes 1).
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
  return convBackpropFilter(backend, { x, dy }, { info, depthwise: false });
}

/** Kernel config of `Conv2DBackpropFilter` on the native backend. */
export function conv2dBackpropFilterConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "native",
    kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
  };
}
