/**
 * PReLU on oneDNN, forward (`Prelu`) and the one-op gradient (`ArcfacePreluGrad`, the kernel
 * name the Prelu gradient patch of lib/backend/wasm_kernels/prelu_grad.ts dispatches to):
 *   y  = x > 0 ? x : alpha[c] * x
 *   dx = x > 0 ? dy : alpha[c] * dy        dalpha[c] = sum over x <= 0 of dy * x
 * Why: on the cpu backend's kernels, a MobileFaceNet x0.5 step at batch 16 spent 2.8 s in Prelu
 * (alpha broadcast through per-element index arithmetic) and ~5 s in the stock gradient's
 * Greater / Select / Multiply / Sum, against 0.2 s in all its convolutions. x is viewed as
 * [rows, c] and alpha as [1, c] (per-channel slopes, tfjs-layers' PReLU with shared spatial
 * axes); any other slope shape runs the cpu kernel / the stock gradient.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, DNNL } from "./dnnl_library.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";
import { isPerChannel } from "../wasm_kernels/kernel_util.ts";
import { PRELU_GRAD } from "../wasm_kernels/prelu_grad.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend };

/** [rows, c] view of x for per-channel alpha, or null when alpha is not per-channel. */
function rowsByChannels(x: tf.TensorInfo, alpha: tf.TensorInfo): [number, number] | null {
  const c = x.shape[x.shape.length - 1];
  if (x.shape.length < 1 || x.dtype !== "float32" || !isPerChannel(alpha, c)) return null;
  const size = tf.util.sizeFromShape(x.shape);
  return size === 0 ? null : [size / c, c];
}

/**
 * `Prelu` on native: oneDNN for per-channel slopes, else the cpu kernel. Also what
 * FusedConv2D / FusedDepthwiseConv2D with a prelu activation apply after the conv.
 */
export function prelu(args: Args): tf.TensorInfo {
  const { x, alpha } = args.inputs as Record<string, tf.TensorInfo>;
  const rc = rowsByChannels(x, alpha);
  if (!rc) return runCpuKernel(tf.Prelu, args) as tf.TensorInfo;
  const { backend } = args, dnnl = backend.dnnl;
  const prim = dnnl.primitive(`prelu_fwd|${rc}`, () => {
    const data = dnnl.plainDesc(rc), wei = dnnl.plainDesc([1, rc[1]]);
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_prelu_forward_desc_init(op, DNNL.prop.forwardTraining, data, wei),
      "describing a PReLU",
    );
    return { op, args: [[DNNL.arg.src, data], [DNNL.arg.weights, wei], [DNNL.arg.dst, data]] };
  });
  const out = backend.output(x.shape);
  dnnl.execute(prim, [
    [DNNL.arg.src, backend.f32(x)],
    [DNNL.arg.weights, backend.f32(alpha)],
    [DNNL.arg.dst, out.values],
  ]);
  return out.info;
}

function preluGrad(args: Args): tf.TensorInfo[] {
  const { dy, x, alpha } = args.inputs as Record<string, tf.TensorInfo>;
  const rc = rowsByChannels(x, alpha)!; // the gradient patch only dispatches per-channel alpha
  const { backend } = args, dnnl = backend.dnnl;
  const key = `prelu|${rc}`;
  const prim = dnnl.primitive(`prelu_bwd|${rc}`, () => {
    const data = dnnl.plainDesc(rc), wei = dnnl.plainDesc([1, rc[1]]);
    const hint = dnnl.primitiveDesc(key, () => {
      const fwd = new Uint8Array(DESC_BYTES);
      dnnl.check(
        dnnl.symbols.dnnl_prelu_forward_desc_init(fwd, DNNL.prop.forwardTraining, data, wei),
        "describing a PReLU",
      );
      return fwd;
    });
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_prelu_backward_desc_init(op, data, wei, data, wei),
      "describing a PReLU gradient",
    );
    return {
      op,
      hint,
      args: [
        [DNNL.arg.src, data],
        [DNNL.arg.weights, wei],
        [DNNL.arg.diffDst, data],
        [DNNL.arg.diffSrc, data],
        [DNNL.arg.diffWeights, wei],
      ],
    };
  });
  const dx = backend.output(x.shape); // [..., c]
  const dalpha = backend.output(alpha.shape); // alpha's shape, c values
  dnnl.execute(prim, [
    [DNNL.arg.src, backend.f32(x)],
    [DNNL.arg.weights, backend.f32(alpha)],
    [DNNL.arg.diffDst, backend.f32(dy)],
    [DNNL.arg.diffSrc, dx.values],
    [DNNL.arg.diffWeights, dalpha.values],
  ]);
  return [dx.info, dalpha.info];
}

/** Kernel configs of `Prelu` and `ArcfacePreluGrad` on the native backend. */
export function preluConfigs(): tf.KernelConfig[] {
  return [
    { kernelName: tf.Prelu, backendName: "native", kernelFunc: prelu as unknown as tf.KernelFunc },
    {
      kernelName: PRELU_GRAD,
      backendName: "native",
      kernelFunc: preluGrad as unknown as tf.KernelFunc,
    },
  ];
}
