/**
 * TF.js convolution geometry (`backend_util.Conv2DInfo`) in oneDNN's terms: strides, dilations
 * (oneDNN counts the gaps: TF's dilation 1 is oneDNN's 0) and the padding on each side. TF's
 * "same" puts the odd pixel at the bottom/right, which oneDNN expresses as `padR = padL + 1`;
 * `padR` is derived from the output size so every padding mode (same, valid, explicit, and
 * the rounding modes) maps exactly.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { dimsArray } from "./dnnl_library.ts";

/** One conv problem as oneDNN wants it. */
export interface DnnlConvGeometry {
  /** `[N, C, H, W]` logical dims of the input (stored nhwc). */
  src: number[];
  /** `[N, C, H, W]` logical dims of the output (stored nhwc). */
  dst: number[];
  /** `[strideH, strideW]` as dnnl_dims_t. */
  strides: BigInt64Array;
  /** `[dilationH - 1, dilationW - 1]` as dnnl_dims_t. */
  dilates: BigInt64Array;
  /** `[top, left]`. */
  padL: BigInt64Array;
  /** `[bottom, right]`. */
  padR: BigInt64Array;
  /** A string naming the geometry, for primitive cache keys. */
  key: string;
}

/** The oneDNN geometry of `info` (channels-last only: callers fall back for NCHW). */
export function dnnlConvGeometry(info: tf.backend_util.Conv2DInfo): DnnlConvGeometry {
  const {
    batchSize: n,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  const top = info.padInfo.top, left = info.padInfo.left;
  // The last window starts at (out - 1) * stride - padL and spans (k - 1) * dilation + 1.
  const bottom = (outHeight - 1) * sh + (kh - 1) * dh + 1 - inHeight - top;
  const right = (outWidth - 1) * sw + (kw - 1) * dw + 1 - inWidth - left;
  const src = [n, inChannels, inHeight, inWidth];
  const dst = [n, outChannels, outHeight, outWidth];
  return {
    src,
    dst,
    strides: dimsArray([sh, sw]),
    dilates: dimsArray([dh - 1, dw - 1]),
    padL: dimsArray([top, left]),
    padR: dimsArray([bottom, right]),
    key: `${src}|${dst}|k${kh}x${kw}|s${sh}x${sw}|d${dh}x${dw}|p${top},${left},${bottom},${right}`,
  };
}
