/**
 * The one-op training batch norm of lib/backend/wasm_kernels/batch_norm_train.ts (same kernel
 * names, same contract) on oneDNN: `ArcfaceBatchNormTrain` is batch_normalization
 * forward_training with scale/shift, which also returns the batch mean and (biased) variance the
 * layer's moving averages need; `ArcfaceBatchNormTrainGrad` is its backward (prop backward:
 * dx, dgamma, dbeta) with the forward descriptor as hint. x [..., c] is [rows, c] for oneDNN.
 *
 * The gradient terms from the mean and variance outputs (dmean, dvar: zero unless a loss reads
 * the statistics) are added afterwards, only when non-zero:
 *   dx += dmean / N + dvar * 2 (x - mean) / N.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { DNNL } from "./dnnl_library.ts";
import { batchNormForwardDesc, rowsAndChannels } from "./batch_norm_desc.ts";
import { constant, perChannel } from "./fused_batch_norm.ts";
import type { NativeBackend } from "./native_backend.ts";
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from "../wasm_kernels/batch_norm_train.ts";

type Args = {
  inputs: Record<string, tf.TensorInfo>;
  backend: NativeBackend;
  attrs: { varianceEpsilon: number };
};

const FLAGS = DNNL.bnFlags.useScale | DNNL.bnFlags.useShift;

/** The forward op descriptor (also the backward's hint) for [rows, c] and eps. */
function forwardDesc(backend: NativeBackend, rows: number, c: number, eps: number) {
  return batchNormForwardDesc(backend.dnnl, { rows, c, eps }, {
    prop: DNNL.prop.forwardTraining,
    flags: FLAGS,
  });
}

/** Typed refusal: the kernel has no cpu counterpart to fall back to. */
export class NativeBatchNormTrainError extends Error {
  override name = "NativeBatchNormTrainError";
}

function check(x: tf.TensorInfo, per: (tf.TensorInfo | undefined)[], c: number, rows: number) {
  if (
    x.dtype !== "float32" || x.shape.length < 2 || rows === 0 || per.some((t) => !perChannel(t, c))
  ) {
    throw new NativeBatchNormTrainError(
      `${BATCH_NORM_TRAIN} on native needs float32 x [..., c] with rows and per-channel [c] ` +
        `tensors; got x ${x.dtype} [${x.shape}]. Call it through batchNormTrain(), which ` +
        "checks canBatchNormTrain() first.",
    );
  }
}

function forward(args: Args): tf.TensorInfo[] {
  const { inputs: { x, gamma, beta }, backend } = args;
  const eps = args.attrs.varianceEpsilon;
  const [rows, c] = rowsAndChannels(x.shape);
  check(x, [gamma, beta], c, rows);
  const dnnl = backend.dnnl;
  const prim = dnnl.primitive(`bn_train_fwd|${rows}|${c}|${eps}`, () => {
    const d = forwardDesc(backend, rows, c, eps);
    return {
      op: d.op,
      args: [
        [DNNL.arg.src, d.data],
        [DNNL.arg.dst, d.data],
        [DNNL.arg.mean, d.stat],
        [DNNL.arg.variance, d.stat],
        [DNNL.arg.scale, d.stat],
        [DNNL.arg.shift, d.stat],
      ],
    };
  });
  const y = backend.output(x.shape), mean = backend.output([c]), variance = backend.output([c]);
  dnnl.execute(prim, [
    [DNNL.arg.src, backend.f32(x)],
    [DNNL.arg.dst, y.values],
    [DNNL.arg.mean, mean.values],
    [DNNL.arg.variance, variance.values],
    [DNNL.arg.scale, backend.f32(gamma)],
    [DNNL.arg.shift, backend.f32(beta)],
  ]);
  return [y.info, mean.info, variance.info];
}

function backward(args: Args): tf.TensorInfo[] {
  const { inputs: { dy, x, gamma, mean, variance, dmean, dvar }, backend } = args;
  const eps = args.attrs.varianceEpsilon;
  const [rows, c] = rowsAndChannels(x.shape);
  check(x, [gamma, mean, variance, dmean, dvar], c, rows);
  const dnnl = backend.dnnl;
  const key = `bn_train|${rows}|${c}|${eps}`;
  const prim = dnnl.primitive(`${key}|bwd`, () => {
    const d = forwardDesc(backend, rows, c, eps);
    const hint = dnnl.primitiveDesc(`${key}|fwd`, () => forwardDesc(backend, rows, c, eps).op);
    const op = new Uint8Array(d.op.length);
    dnnl.check(
      dnnl.symbols.dnnl_batch_normalization_backward_desc_init(
        op,
        DNNL.prop.backward,
        d.data,
        d.data,
        eps,
        FLAGS,
      ),
      `describing a batch norm backward [${rows}, ${c}]`,
    );
    return {
      op,
      hint,
      args: [
        [DNNL.arg.src, d.data],
        [DNNL.arg.mean, d.stat],
        [DNNL.arg.variance, d.stat],
        [DNNL.arg.diffDst, d.data],
        [DNNL.arg.scale, d.stat],
        // oneDNN 2.6 counts the shift among the backward's inputs (unread: dx does not need it).
        [DNNL.arg.shift, d.stat],
        [DNNL.arg.diffSrc, d.data],
        [DNNL.arg.diffScale, d.stat],
        [DNNL.arg.diffShift, d.stat],
      ],
    };
  });
  const dx = backend.output(x.shape), dgamma = backend.output([c]), dbeta = backend.output([c]);
  const xs = backend.f32(x), mu = backend.f32(mean);
  dnnl.execute(prim, [
    [DNNL.arg.src, xs],
    [DNNL.arg.mean, mu],
    [DNNL.arg.variance, backend.f32(variance)],
    [DNNL.arg.diffDst, backend.f32(dy)],
    [DNNL.arg.scale, backend.f32(gamma)],
    [DNNL.arg.shift, constant(0, c)], // not read
    [DNNL.arg.diffSrc, dx.values],
    [DNNL.arg.diffScale, dgamma.values],
    [DNNL.arg.diffShift, dbeta.values],
  ]);
  const dm = backend.f32(dmean), dv = backend.f32(dvar);
  if (dm.some((v) => v !== 0) || dv.some((v) => v !== 0)) {
    // Rare path (a loss on the statistics): per-element terms oneDNN does not take.
    const d = dx.values;
    for (let off = 0; off < rows * c; off += c) {
      for (let j = 0; j < c; j++) {
        d[off + j] += (dm[j] + 2 * dv[j] * (xs[off + j] - mu[j])) / rows;
      }
    }
  }
  return [dx.info, dgamma.info, dbeta.info];
}

/** Configs of `ArcfaceBatchNormTrain` and its gradient kernel on the native backend. */
export function batchNormTrainConfigs(): tf.KernelConfig[] {
  return [
    { kernelName: BATCH_NORM_TRAIN, backendName: "native", kernelFunc: forward as never },
    { kernelName: BATCH_NORM_TRAIN_GRAD, backendName: "native", kernelFunc: backward as never },
  ];
}
