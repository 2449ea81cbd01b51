/**
 * `Conv2DBackpropInput` for wasm without the stock naive loop.
 *
 * 1x1 filters: dx = dy @ W^T (one matmul), scattered to the sampled pixels when strided.
 * Otherwise dx is the forward XNNPACK convolution of dy (zero-inserted for stride > 1, and
 * padded by filter-1-pad) with the spatially flipped, in/out-swapped filter.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { matMul2dT } from "./batch_mat_mul.ts";
import { convInfoNHWC } from "./conv2d_backprop_filter.ts";
import { dilateAndPad } from "./heap_layout.ts";
import { type KernelScope, withScope } from "./kernel_util.ts";

/**
 * Flips a filter spatially and swaps its channel axes.
 * `filter` [kh, kw, a, b] -> [kh, kw, b, a] with taps reversed.
 */
export function flipSwapFilter(s: KernelScope, filter: tf.TensorInfo): tf.TensorInfo {
  const flipped = s.runStock("Reverse", { x: filter }, { dims: [0, 1] });
  return s.transpose(flipped, [0, 1, 3, 2]);
}

/**
 * dy laid out for a 'valid' stride-1 correlation that yields dx: zero-inserted by the
 * stride and padded by (filter - 1 - pad), returned as conv input plus explicit pads.
 * Stride 1 with non-negative pads returns dy itself and the pads (no copy).
 */
export function transposedConvInput(
  s: KernelScope,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): {
  input: tf.TensorInfo;
  pad: [[number, number], [number, number], [number, number], [number, number]];
} {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const pt = kh - 1 - info.padInfo.top, pl = kw - 1 - info.padInfo.left;
  const hz = inHeight + kh - 1, wz = inWidth + kw - 1; // extent the valid conv needs
  const pb = hz - pt - ((outHeight - 1) * sh + 1), pr = wz - pl - ((outWidth - 1) * sw + 1);
  if (sh === 1 && sw === 1 && pt >= 0 && pl >= 0 && pb >= 0 && pr >= 0) {
    return { input: dy, pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]] };
  }
  const input = dilateAndPad(s, dy, sh, sw, pt, pl, hz, wz); // [b, hz, wz, c]
  return { input, pad: [[0, 0], [0, 0], [0, 0], [0, 0]] };
}

function conv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const inputShape = attrs.inputShape as number[];
  const info = convInfoNHWC("Conv2DBackpropInput", inputShape, filter.shape, attrs, false);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  return withScope(args.backend, (s) => {
    if (info.filterHeight === 1 && info.filterWidth === 1) {
      const n = batchSize * outHeight * outWidth;
      const w2 = s.reshape(filter, [inChannels, outChannels]);
      const y = matMul2dT(s, s.reshape(dy, [n, outChannels]), w2, false, true); // [n, ci]
      const y4 = s.reshape(y, [batchSize, outHeight, outWidth, inChannels]);
      const { top, left } = info.padInfo;
      if (
        info.strideHeight === 1 && info.strideWidth === 1 && top === 0 && left === 0 &&
        outHeight === inHeight && outWidth === inWidth
      ) return y4;
      // Scatter to the pixels the forward conv sampled: [b, h, w, ci]
      return dilateAndPad(
        s,
        y4,
        info.strideHeight,
        info.strideWidth,
        -top,
        -left,
        inHeight,
        inWidth,
      );
    }
    const { input, pad } = transposedConvInput(s, dy, info);
    const w = flipSwapFilter(s, filter); // [kh, kw, co, ci]
    return s.runStock("Conv2D", { x: input, filter: w }, {
      strides: [1, 1],
      pad,
      dataFormat: "NHWC",
      dilations: [1, 1],
    });
  });
}

/** Config of the fast `Conv2DBackpropInput` (register with the stock config's setupFunc). */
export function conv2dBackpropInputConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: "wasm",
    kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
  };
}
