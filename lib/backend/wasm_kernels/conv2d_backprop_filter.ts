/**
 * `Conv2DBackpropFilter` for wasm (missing upstream, tfjs#8474).
 *
 * dW[kh, kw, ci, co] = sum over (b, oh, ow) of x[b, oh*s + kh - padTop, ow*s + kw - padLeft, ci]
 * * dy[b, oh, ow, co]. 1x1 filters are one matmul; larger filters do one matmul per tap:
 * dy^T (transposed once) times that tap's window of x, copied straight from the heap
 * with its zero padding. The [taps, co, ci] stack is transposed to [taps, ci, co] at the end.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { copyWindow } from "./heap_layout.ts";
import { matMul2d, matMul2dT } from "./batch_mat_mul.ts";
import { heapView, KernelScope, UnsupportedKernelAttrError, withScope } from "./kernel_util.ts";

/** Convolution geometry, checked to be NHWC with dilation 1. */
export function convInfoNHWC(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  attrs: tf.NamedAttrMap,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  const { strides, pad, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
  const dataFormat = (attrs.dataFormat as string | undefined) ?? "NHWC";
  if (dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new UnsupportedKernelAttrError(
      `${kernel} on wasm supports dataFormat NHWC only (got ${dataFormat}); use channelsLast.`,
    );
  }
  const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new UnsupportedKernelAttrError(
      `${kernel} on wasm supports dilation 1 only (got ${dilations}); ` +
        `train with dilation 1 or use the cpu backend.`,
    );
  }
  return info;
}

function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const filterShape = attrs.filterShape as number[];
  const info = convInfoNHWC("Conv2DBackpropFilter", x.shape, filterShape, attrs, false);
  const { batchSize, outHeight, outWidth, inChannels, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const n = batchSize * outHeight * outWidth;
  return withScope(args.backend, (s) => {
    const dy2 = s.reshape(dy, [n, outChannels]); // [n, co]
    if (kh === 1 && kw === 1) {
      // x restricted to the sampled pixels, [n, ci]; dW = x^T dy.
      const xs = sh === 1 && sw === 1 && top === 0 && left === 0 &&
          outHeight === x.shape[1] && outWidth === x.shape[2]
        ? x
        : copyWindow(s, x, -top, -left, outHeight, outWidth, sh, sw);
      const w = matMul2dT(s, s.reshape(xs, [n, inChannels]), dy2, true, false); // [ci, co]
      return s.reshape(w, filterShape);
    }
    const dyT = s.transpose(dy2, [1, 0]); // [co, n]
    const taps = kh * kw;
    const stack = s.alloc([taps, outChannels, inChannels]); // [taps, co, ci]
    const tapSize = outChannels * inChannels;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const t = new KernelScope(s.backend); // per-tap intermediates, freed right away
        try {
          // x window of this tap, [b, oh, ow, ci] == [n, ci]
          const win = copyWindow(t, x, i - top, j - left, outHeight, outWidth, sh, sw);
          const part = matMul2d(t, dyT, t.reshape(win, [n, inChannels])); // [co, ci]
          heapView(s.backend, stack).set(heapView(s.backend, part), (i * kw + j) * tapSize);
        } finally {
          t.dispose();
        }
      }
    }
    const w = s.transpose(stack, [0, 2, 1]); // [taps, ci, co]
    return s.reshape(w, filterShape);
  });
}

/** Config of the wasm `Conv2DBackpropFilter` kernel. */
export function conv2dBackpropFilterConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "wasm",
    kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
  };
}
