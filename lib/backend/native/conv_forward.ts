/**
 * The one oneDNN forward convolution behind Conv2D, FusedConv2D, DepthwiseConv2dNative and
 * FusedDepthwiseConv2D: x [N, H, W, Cin] (nhwc) * filter (TF layout, see `convWeights`)
 * (+ bias [Cout] through oneDNN's bias argument) (+ activation as an eltwise post-op)
 * -> y [N, OH, OW, Cout] (nhwc). Forward-training propagation: same numerics as inference,
 * and the same primitive family as the backward passes' hint.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { DNNL } from "./dnnl_library.ts";
import {
  convDescs,
  convForwardOp,
  convWeights,
  dnnlConvGeometry,
  weightsFor,
} from "./conv_geometry.ts";
import type { NativeBackend } from "./native_backend.ts";
import { type EltwisePostOp, postOpsAttr } from "./post_ops.ts";

/** oneDNN eltwise algorithms (dnnl_alg_kind_t, v2.x) used as conv post-ops. */
const ELTWISE = {
  relu: DNNL.alg.eltwiseRelu,
  elu: DNNL.alg.eltwiseElu,
  logistic: DNNL.alg.eltwiseLogistic,
  clip: DNNL.alg.eltwiseClip,
} as const;

/**
 * The post-op computing TF.js' fused `activation` exactly as the cpu backend's
 * `applyActivation` does, or null when oneDNN has none (prelu: per-channel weights) and the
 * caller must apply it with the cpu kernel. "linear" needs no post-op (`[]`).
 */
export function activationPostOp(
  activation: string | undefined,
  leakyreluAlpha = 0.2,
): EltwisePostOp[] | null {
  switch (activation ?? "linear") {
    case "linear":
      return [];
    case "relu":
      return [[ELTWISE.relu, 0, 0]];
    case "leakyrelu": // oneDNN's relu with alpha is x > 0 ? x : alpha * x.
      return [[ELTWISE.relu, leakyreluAlpha, 0]];
    case "relu6": // clip(x, 0, 6)
      return [[ELTWISE.clip, 0, 6]];
    case "elu":
      return [[ELTWISE.elu, 1, 0]];
    case "sigmoid":
      return [[ELTWISE.logistic, 0, 0]];
    default:
      return null;
  }
}

/** Options of {@linkcode convForward}. */
export interface ConvForwardOptions {
  /** The problem (from `backend_util.computeConv2DInfo`, channels-last). */
  info: tf.backend_util.Conv2DInfo;
  /** Depthwise filter `[kh, kw, C, mult]` (grouped conv) instead of `[kh, kw, Cin, Cout]`. */
  depthwise: boolean;
  /** Eltwise post-ops applied in oneDNN after the bias (default none). */
  postOps?: EltwisePostOp[];
}

/** Runs the forward convolution; `bias` (if given) has exactly `outChannels` values. */
export function convForward(
  backend: NativeBackend,
  tensors: { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo },
  options: ConvForwardOptions,
): tf.TensorInfo {
  const { info, depthwise } = options;
  const postOps = options.postOps ?? [];
  const withBias = tensors.bias !== undefined;
  const g = dnnlConvGeometry(info);
  const w = convWeights(info, depthwise);
  const dnnl = backend.dnnl;
  const key = `conv_fwd|${w.dims}|${w.tag}|${g.key}|b${withBias}|${postOps}`;
  const prim = dnnl.primitive(key, () => {
    const d = convDescs(dnnl, g, w, withBias);
    const args: [number, Uint8Array][] = [
      [DNNL.arg.src, d.src],
      [DNNL.arg.weights, d.weights],
      [DNNL.arg.dst, d.dst],
    ];
    if (d.bias) args.push([DNNL.arg.bias, d.bias]);
    return { op: convForwardOp(dnnl, g, d), args, attr: postOpsAttr(backend, postOps) };
  });
  const out = backend.output(info.outShape);
  const data: [number, Float32Array][] = [
    [DNNL.arg.src, backend.f32(tensors.x)],
    [DNNL.arg.weights, weightsFor(backend.f32(tensors.filter), w, info)],
    [DNNL.arg.dst, out.values],
  ];
  if (tensors.bias) data.push([DNNL.arg.bias, backend.f32(tensors.bias)]);
  dnnl.execute(prim, data);
  return out.info;
}

/** Whether `bias` is one value per output channel (`[C]` or `[1, ..., 1, C]`). */
export function isChannelBias(bias: tf.TensorInfo, outChannels: number): boolean {
  const n = bias.shape.reduce((a, b) => a * b, 1);
  return n === outChannels && bias.shape[bias.shape.length - 1] === outChannels;
}
