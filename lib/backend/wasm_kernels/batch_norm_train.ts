/**
 * Batch normalisation in training mode as one wasm op, replacing `tf.moments` followed by
 * `tf.batchNorm` (about ten full-size kernels forward and backward) with one pass for the
 * statistics plus one for the output, and two passes for the gradient. JS loops over the
 * wasm heap, float64 per-channel accumulators. Statistics are over every axis but the last
 * (channels); the variance is the biased one, as `tf.moments` computes it.
 *
 * Forward (`ArcfaceBatchNormTrain`), x [..., c], gamma [c], beta [c]:
 *   mean = E[x], var = E[(x - mean)^2], y = (x - mean) * gamma * rsqrt(var + eps) + beta
 * Backward (`ArcfaceBatchNormTrainGrad`), with N = size / c, k = gamma * rsqrt(var + eps),
 * xhat = (x - mean) * rsqrt(var + eps):
 *   dbeta = sum(dy), dgamma = sum(dy * xhat)
 *   dx = k * (dy - dbeta / N - xhat * dgamma / N) + dmean / N + dvar * 2 (x - mean) / N
 * (dmean, dvar: gradients reaching the mean and variance outputs, usually zero).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  heapView,
  isPerChannel,
  type KernelArgs,
  UnsupportedKernelAttrError,
  type WasmBackend,
} from "./kernel_util.ts";

/** Kernel name of the forward op (outputs y, mean, variance). */
export const BATCH_NORM_TRAIN = "ArcfaceBatchNormTrain";
/** Kernel name of its gradient (outputs dx, dgamma, dbeta). */
export const BATCH_NORM_TRAIN_GRAD = "ArcfaceBatchNormTrainGrad";

function channels(x: tf.TensorInfo): [number, number] {
  const c = x.shape[x.shape.length - 1];
  const size = x.shape.reduce((a, b) => a * b, 1);
  return [c, c === 0 ? 0 : size / c];
}

function forward(args: KernelArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = args.inputs as Record<string, tf.TensorInfo>;
  const eps = (args.attrs ?? {}).varianceEpsilon as number;
  const backend = args.backend as WasmBackend;
  const [c, n] = channels(x);
  const y = backend.makeOutput(x.shape, "float32"); // [..., c]
  const meanOut = backend.makeOutput([c], "float32");
  const varOut = backend.makeOutput([c], "float32");
  const xs = heapView(backend, x), ys = heapView(backend, y);
  const g = heapView(backend, gamma), b = heapView(backend, beta);
  const size = n * c;
  // Sums of (x - shift), shift = first row (guards E[x^2] - E[x]^2 against cancellation).
  const shift = new Float64Array(c), s1 = new Float64Array(c), s2 = new Float64Array(c);
  for (let j = 0; j < c && n > 0; j++) shift[j] = xs[j];
  for (let off = 0; off < size; off += c) {
    for (let j = 0; j < c; j++) {
      const v = xs[off + j] - shift[j];
      s1[j] += v;
      s2[j] += v * v;
    }
  }
  const mean = heapView(backend, meanOut), variance = heapView(backend, varOut);
  const a = new Float64Array(c), m = new Float64Array(c), off0 = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const d = s1[j] / n;
    const v = Math.max(s2[j] / n - d * d, 0);
    m[j] = shift[j] + d;
    mean[j] = m[j];
    variance[j] = v;
    a[j] = g[j] / Math.sqrt(v + eps);
    off0[j] = b[j];
  }
  for (let off = 0; off < size; off += c) {
    for (let j = 0; j < c; j++) ys[off + j] = (xs[off + j] - m[j]) * a[j] + off0[j];
  }
  return [y, meanOut, varOut];
}

function backward(args: KernelArgs): tf.TensorInfo[] {
  const { dy, x, gamma, mean, variance, dmean, dvar } = args.inputs as Record<
    string,
    tf.TensorInfo
  >;
  const eps = (args.attrs ?? {}).varianceEpsilon as number;
  const backend = args.backend as WasmBackend;
  const [c, n] = channels(x);
  const dx = backend.makeOutput(x.shape, "float32"); // [..., c]
  const dgammaOut = backend.makeOutput([c], "float32");
  const dbetaOut = backend.makeOutput([c], "float32");
  const dys = heapView(backend, dy), xs = heapView(backend, x), dxs = heapView(backend, dx);
  const g = heapView(backend, gamma), mu = heapView(backend, mean);
  const vr = heapView(backend, variance);
  const dm = heapView(backend, dmean), dv = heapView(backend, dvar);
  const size = n * c;
  const m = Float64Array.from(mu);
  const sDy = new Float64Array(c), sDyXm = new Float64Array(c);
  for (let off = 0; off < size; off += c) {
    for (let j = 0; j < c; j++) {
      const d = dys[off + j];
      sDy[j] += d;
      sDyXm[j] += d * (xs[off + j] - m[j]);
    }
  }
  const dgamma = heapView(backend, dgammaOut), dbeta = heapView(backend, dbetaOut);
  // dx = dy * k + (x - mean) * p + q
  const k = new Float64Array(c), p = new Float64Array(c), q = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const rs = 1 / Math.sqrt(vr[j] + eps);
    const dg = sDyXm[j] * rs;
    dgamma[j] = dg;
    dbeta[j] = sDy[j];
    k[j] = g[j] * rs;
    p[j] = (-k[j] * rs * dg + 2 * dv[j]) / n;
    q[j] = (-k[j] * sDy[j] + dm[j]) / n;
  }
  for (let off = 0; off < size; off += c) {
    for (let j = 0; j < c; j++) {
      dxs[off + j] = dys[off + j] * k[j] + (xs[off + j] - m[j]) * p[j] + q[j];
    }
  }
  return [dx, dgammaOut, dbetaOut];
}

/** Configs of the forward and backward wasm kernels. */
export function batchNormTrainConfigs(): tf.KernelConfig[] {
  return [
    { kernelName: BATCH_NORM_TRAIN, backendName: "wasm", kernelFunc: forward as tf.KernelFunc },
    {
      kernelName: BATCH_NORM_TRAIN_GRAD,
      backendName: "wasm",
      kernelFunc: backward as tf.KernelFunc,
    },
  ];
}

/** Gradient of `ArcfaceBatchNormTrain` w.r.t. x, gamma and beta. */
export function batchNormTrainGradConfig(): tf.GradConfig {
  return {
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ["x", "gamma"],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dmean, dvar] = dys as tf.Tensor[];
      const [x, gamma, mean, variance] = saved;
      const [dx, dgamma, dbeta] = tf.engine().runKernel(
        BATCH_NORM_TRAIN_GRAD,
        { dy, x, gamma, mean, variance, dmean, dvar },
        attrs,
      ) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  };
}

/**
 * True when {@linkcode batchNormTrain} can run: the active backend has the kernel (wasm or
 * native), float32 `x` of rank >= 2
 * with at least one row, gamma and beta of shape [c].
 */
export function canBatchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): boolean {
  const c = x.shape[x.rank - 1];
  // Any backend that registers the kernel (wasm here, native in lib/backend/native/).
  return x.dtype === "float32" && x.rank >= 2 && x.size > 0 &&
    gamma.rank === 1 && beta.rank === 1 && isPerChannel(gamma, c) && isPerChannel(beta, c) &&
    tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) != null;
}

/**
 * Training-mode batch normalisation over every axis but the last: returns
 * `[y, mean, variance]` like tfjs-layers' `normalizeBatchInTraining` (x [..., c] -> y
 * [..., c], mean [c], biased variance [c]). Differentiable w.r.t. x, gamma and beta. Throws an
 * {@linkcode UnsupportedKernelAttrError} where {@linkcode canBatchNormTrain} is false.
 */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  if (!canBatchNormTrain(x, gamma, beta)) {
    throw new UnsupportedKernelAttrError(
      `batchNormTrain needs a backend with ${BATCH_NORM_TRAIN} (wasm, native), float32 x [..., c] and gamma/beta [c]; got x ` +
        `${x.dtype} [${x.shape}], gamma [${gamma.shape}], beta [${beta.shape}] on ` +
        `${tf.getBackend()}.`,
    );
  }
  const out = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, {
    varianceEpsilon: epsilon,
  }) as tf.Tensor[];
  return [out[0], out[1] as tf.Tensor1D, out[2] as tf.Tensor1D];
}
