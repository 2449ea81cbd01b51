/**
 * `Relu`, `Relu6` and `ClipByValue` forward, and the one-op masked gradient `ArcfaceMaskedGrad` that the
 * Relu / Relu6 gradient patch (lib/backend/wasm_kernels/activation_grads.ts) dispatches to, on
 * oneDNN's eltwise primitive:
 *   Relu:  y = max(x, 0)          dx = x > 0 ? dy : 0        (eltwise_relu, alpha 0)
 *   Relu6: y = min(max(x, 0), 6)  dx = 0 < x <= 6 ? dy : 0   (eltwise_clip, [0, 6]: its
 *   derivative is 1 on (0, 6], as TF.js'; clip_v2's is not, which the kink test catches)
 * Why: the cpu kernels took 0.65 s of a 4.9 s ResNet50 step at batch 8 (Relu forward and the
 * stock gradient's Step + Multiply), measured with `tf.profile`. A mask interval that is neither
 * of these (ClipByValue's both-inclusive [lo, hi], tfjs-layers' relu6 activation) matches
 * neither clip (derivative 1 on (lo, hi]) nor clip_v2 at the ends (the kink test shows both):
 * it runs as oneDNN comparisons instead (interval_mask_grad.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, DNNL } from "./dnnl_library.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";
import { MASKED_GRAD, type MaskedGradAttrs } from "../wasm_kernels/activation_grads.ts";
import { intervalMaskGrad } from "./interval_mask_grad.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap };

/**
 * [alg, alpha, beta] of the eltwise op whose derivative is the mask `attrs`, or null (then
 * {@linkcode intervalMaskGrad} computes it).
 */
export function maskedGradModes(attrs: MaskedGradAttrs): [number, number, number] | null {
  const { lo, hi, loInclusive, hiInclusive } = attrs;
  if (lo === 0 && hi === Infinity && !loInclusive) return [DNNL.alg.eltwiseRelu, 0, 0];
  if (lo === 0 && hi === 6 && !loInclusive && hiInclusive) return [DNNL.alg.eltwiseClip, 0, 6];
  return null;
}

function eltwisePrim(backend: NativeBackend, mode: [number, number, number], size: number) {
  const dnnl = backend.dnnl;
  const [alg, alpha, beta] = mode;
  const key = `eltwise${alg}|${alpha}|${beta}|${size}`;
  const fwd = () => {
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_eltwise_forward_desc_init(
        op,
        DNNL.prop.forwardTraining,
        alg,
        dnnl.plainDesc([size]),
        alpha,
        beta,
      ),
      "describing an eltwise op",
    );
    return op;
  };
  return { dnnl, key, fwd, alg, alpha, beta };
}

/** [alg, alpha, beta] of a forward op, from its attributes (ClipByValue's bounds). */
type ModeOf = (attrs: tf.NamedAttrMap | undefined) => [number, number, number];

function forward(name: string, modeOf: ModeOf): tf.KernelFunc {
  const run = (args: Args): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== "float32" || size === 0) return runCpuKernel(name, args) as tf.TensorInfo;
    const { dnnl, key, fwd } = eltwisePrim(args.backend, modeOf(args.attrs), size);
    const md = dnnl.plainDesc([size]);
    const prim = dnnl.primitive(`${key}|fwd`, () => ({
      op: fwd(),
      args: [[DNNL.arg.src, md], [DNNL.arg.dst, md]],
    }));
    const out = args.backend.output(x.shape);
    dnnl.execute(prim, [[DNNL.arg.src, args.backend.f32(x)], [DNNL.arg.dst, out.values]]);
    return out.info;
  };
  return run as unknown as tf.KernelFunc;
}

function maskedGrad(args: Args): tf.TensorInfo {
  const { dy, x } = args.inputs as Record<string, tf.TensorInfo>;
  const attrs = args.attrs as unknown as MaskedGradAttrs;
  const mode = maskedGradModes(attrs);
  if (!mode) return intervalMaskGrad(args.backend, { dy, x }, attrs);
  const size = tf.util.sizeFromShape(x.shape);
  const { dnnl, key, fwd, alg, alpha, beta } = eltwisePrim(args.backend, mode, size);
  const prim = dnnl.primitive(`${key}|bwd`, () => {
    const md = dnnl.plainDesc([size]);
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_eltwise_backward_desc_init(op, alg, md, md, alpha, beta),
      "describing an eltwise gradient",
    );
    return {
      op,
      hint: dnnl.primitiveDesc(`${key}|fwd`, fwd),
      args: [[DNNL.arg.src, md], [DNNL.arg.diffDst, md], [DNNL.arg.diffSrc, md]],
    };
  });
  const out = args.backend.output(x.shape);
  dnnl.execute(prim, [
    [DNNL.arg.src, args.backend.f32(x)],
    [DNNL.arg.diffDst, args.backend.f32(dy)],
    [DNNL.arg.diffSrc, out.values],
  ]);
  return out.info;
}

/** Kernel configs of `Relu`, `Relu6` and `ArcfaceMaskedGrad` on the native backend. */
export function eltwiseConfigs(): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.Relu,
      backendName: "native",
      kernelFunc: forward(tf.Relu, () => [DNNL.alg.eltwiseRelu, 0, 0]),
    },
    {
      kernelName: tf.Relu6,
      backendName: "native",
      kernelFunc: forward(tf.Relu6, () => [DNNL.alg.eltwiseClip, 0, 6]),
    },
    {
      kernelName: tf.ClipByValue,
      backendName: "native",
      kernelFunc: forward(tf.ClipByValue, (attrs) => {
        const { clipValueMin, clipValueMax } = attrs as Record<string, number>;
        return [DNNL.alg.eltwiseClip, clipValueMin, clipValueMax];
      }),
    },
    {
      kernelName: MASKED_GRAD,
      backendName: "native",
      kernelFunc: maskedGrad as unknown as tf.KernelFunc,
    },
  ];
}
