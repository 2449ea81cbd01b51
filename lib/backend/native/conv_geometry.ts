/**
 * TF.js convolution geometry (`backend_util.Conv2DInfo`) in oneDNN's terms: strides, dilations
 * (oneDNN counts the gaps: TF's dilation 1 is oneDNN's 0) and the padding on each side. TF's
 * "same" puts the odd pixel at the bottom/right, which oneDNN expresses as `padR = padL + 1`;
 * `padR` is derived from the output size so every padding mode (same, valid, explicit, and
 * the rounding modes) maps exactly.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, dimsArray, DNNL, type Dnnl } from "./dnnl_library.ts";

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

/** oneDNN's `Goihw8g` (= `Abcde8a`): groups blocked by 8, what its `jit_dw:avx2` reads. */
const TAG_GOIHW8G = 129;

/**
 * A conv's weights as oneDNN sees TF's filter: a conv filter `[kh, kw, in, out]` is `hwio` on
 * `[out, in, kh, kw]` (in place); a depthwise filter `[kh, kw, C, mult]` is a grouped conv
 * with `C` groups on `[g = C, o = mult, i = 1, kh, kw]` (output channel `c * mult + m`,
 * TF's order). With mult 1 (MobileFaceNet, MobileNetV2) the weights are repacked into
 * `Goihw8g` (`blocked: true`, see {@linkcode packDepthwise}): in TF's own layout (`hwigo`)
 * oneDNN 2.6 picks `gemm:jit`, a gemm per group, measured 3-10x slower than wasm on
 * 8x56x56x64 3x3; with `Goihw8g` it picks `jit_dw:avx2` for forward, backward data and
 * backward weights alike (`DNNL_VERBOSE=2`), nhwc src/dst unchanged.
 */
export function convWeights(
  info: tf.backend_util.Conv2DInfo,
  depthwise: boolean,
): { dims: number[]; tag: number; blocked: boolean } {
  const { inChannels: ci, outChannels: co, filterHeight: kh, filterWidth: kw } = info;
  if (!depthwise) return { dims: [co, ci, kh, kw], tag: DNNL.tag.hwio, blocked: false };
  const blocked = co === ci;
  return { dims: [ci, co / ci, 1, kh, kw], tag: blocked ? TAG_GOIHW8G : DNNL.tag.hwigo, blocked };
}

/**
 * Repacks a depthwise filter `[kh, kw, C, 1]` into `Goihw8g` (`[ceil(C/8)][kh][kw][8]`, the
 * padded channels zero), or back (`unpack`: `blocked` -> `tfLayout`). Tiny (C * kh * kw).
 */
export function packDepthwise(
  tfLayout: Float32Array,
  blocked: Float32Array,
  options: { channels: number; taps: number; unpack?: boolean },
): void {
  const { channels: c, taps: k } = options;
  for (let t = 0; t < k; t++) {
    for (let ch = 0; ch < c; ch++) {
      const b = ((ch >> 3) * k + t) * 8 + (ch & 7);
      if (options.unpack) tfLayout[t * c + ch] = blocked[b];
      else blocked[b] = tfLayout[t * c + ch];
    }
  }
}

/** Floats of a `Goihw8g` depthwise filter of `channels` channels and `taps` = kh * kw. */
export function blockedDepthwiseSize(channels: number, taps: number): number {
  return Math.ceil(channels / 8) * 8 * taps;
}

/** The filter array oneDNN reads: `filter` itself, or its `Goihw8g` repack when blocked. */
export function weightsFor(
  filter: Float32Array,
  w: { blocked: boolean },
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  if (!w.blocked) return filter;
  const taps = info.filterHeight * info.filterWidth, channels = info.inChannels;
  const out = new Float32Array(blockedDepthwiseSize(channels, taps));
  packDepthwise(filter, out, { channels, taps });
  return out;
}

/** Memory descriptors of one conv problem (src/dst nhwc, weights in TF's layout, bias `[out]`). */
export interface ConvDescs {
  src: Uint8Array;
  weights: Uint8Array;
  dst: Uint8Array;
  /** Present when the problem has a bias. */
  bias: Uint8Array | null;
}

/** The memory descriptors of `g` with weights `w` (see {@linkcode convWeights}). */
export function convDescs(
  dnnl: Dnnl,
  g: DnnlConvGeometry,
  w: { dims: number[]; tag: number },
  withBias = false,
): ConvDescs {
  return {
    src: dnnl.memoryDesc(g.src, DNNL.tag.nhwc),
    weights: dnnl.memoryDesc(w.dims, w.tag),
    dst: dnnl.memoryDesc(g.dst, DNNL.tag.nhwc),
    bias: withBias ? dnnl.memoryDesc([g.dst[1]], DNNL.tag.a) : null,
  };
}

/** A forward-training convolution op descriptor of `g` over `d` (also the backward hint). */
export function convForwardOp(dnnl: Dnnl, g: DnnlConvGeometry, d: ConvDescs): Uint8Array {
  const op = new Uint8Array(DESC_BYTES);
  dnnl.check(
    dnnl.symbols.dnnl_dilated_convolution_forward_desc_init(
      op,
      DNNL.prop.forwardTraining,
      DNNL.alg.convolutionDirect,
      d.src,
      d.weights,
      d.bias,
      d.dst,
      g.strides,
      g.dilates,
      g.padL,
      g.padR,
    ),
    `describing a convolution ${g.key}`,
  );
  return op;
}

/**
 * The cached forward primitive descriptor of `g` (no bias, no post-ops): the hint oneDNN's
 * backward-data and backward-weights convolutions need to pick a matching implementation.
 */
export function convForwardHint(
  dnnl: Dnnl,
  g: DnnlConvGeometry,
  w: { dims: number[]; tag: number },
): Deno.PointerObject {
  return dnnl.primitiveDesc(
    `conv_fwd_hint|${w.dims}|${w.tag}|${g.key}`,
    () => convForwardOp(dnnl, g, convDescs(dnnl, g, w)),
  );
}

/**
 * Whether a native conv kernel handles these attributes: channels-last float32 only (NCHW
 * and other dtypes run the cpu kernel).
 */
export function nativeConvSupported(
  dataFormat: string | undefined,
  tensors: readonly tf.TensorInfo[],
): boolean {
  const format = tf.backend_util.convertConv2DDataFormat(
    (dataFormat ?? "NHWC") as "NHWC" | "NCHW",
  );
  return format === "channelsLast" && tensors.every((t) => t.dtype === "float32");
}
