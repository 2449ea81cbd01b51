/**
 * `Add`, `Sub`, `Multiply`, `RealDiv`, `Maximum`, `Minimum` on oneDNN's binary primitive
 * (float32, numpy broadcasting). Why: the cpu backend's kernels take a fast loop only when both
 * shapes are equal; a scalar or per-channel operand (the optimiser's `v * momentum`, the ArcFace
 * head's `cos * s`, a bias) goes through per-element index arithmetic, ~1.4 s of 207 Multiply
 * calls in one MobileFaceNet x0.5 step at batch 16 measured here. oneDNN broadcasts its second
 * operand only: a broadcast first operand is swapped for the commutative ops, and runs the cpu
 * kernel otherwise (as do other dtypes, rank 0 results and empty tensors).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, DNNL } from "./dnnl_library.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend };

const OPS: { name: string; alg: number; commutative: boolean }[] = [
  { name: tf.Add, alg: DNNL.alg.binaryAdd, commutative: true },
  { name: tf.Multiply, alg: DNNL.alg.binaryMul, commutative: true },
  { name: tf.Maximum, alg: DNNL.alg.binaryMax, commutative: true },
  { name: tf.Minimum, alg: DNNL.alg.binaryMin, commutative: true },
  { name: tf.Sub, alg: DNNL.alg.binarySub, commutative: false },
  { name: tf.RealDiv, alg: DNNL.alg.binaryDiv, commutative: false },
];

/** `shape` left-padded with 1s to `rank` (numpy broadcasting). */
function padded(shape: number[], rank: number): number[] {
  return [...new Array(rank - shape.length).fill(1), ...shape];
}

function binaryKernel(name: string, alg: number, commutative: boolean): tf.KernelFunc {
  const run = (args: Args): tf.TensorInfo => {
    let { a, b } = args.inputs as Record<string, tf.TensorInfo>;
    const fallback = () => runCpuKernel(name, args) as tf.TensorInfo;
    if (a.dtype !== "float32" || b.dtype !== "float32") return fallback();
    const out = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = tf.util.sizeFromShape(out);
    if (out.length === 0 || size === 0) return fallback();
    if (!tf.util.arraysEqual(a.shape, out)) {
      if (!commutative || !tf.util.arraysEqual(b.shape, out)) return fallback();
      [a, b] = [b, a];
    }
    const bDims = padded(b.shape, out.length);
    const { backend } = args, dnnl = backend.dnnl;
    const prim = dnnl.primitive(`binary${alg}|${out}|${bDims}`, () => {
      const src0 = dnnl.plainDesc(out), src1 = dnnl.plainDesc(bDims);
      const op = new Uint8Array(DESC_BYTES);
      dnnl.check(
        dnnl.symbols.dnnl_binary_desc_init(op, alg, src0, src1, src0),
        `describing ${name} [${out}] by [${bDims}]`,
      );
      return { op, args: [[DNNL.arg.src, src0], [DNNL.arg.src1, src1], [DNNL.arg.dst, src0]] };
    });
    const y = backend.output(out);
    dnnl.execute(prim, [
      [DNNL.arg.src, backend.f32(a)],
      [DNNL.arg.src1, backend.f32(b)],
      [DNNL.arg.dst, y.values],
    ]);
    return y.info;
  };
  return run as unknown as tf.KernelFunc;
}

/** Kernel configs of the binary ops on the native backend. */
export function binaryOpConfigs(): tf.KernelConfig[] {
  return OPS.map(({ name, alg, commutative }) => ({
    kernelName: name,
    backendName: "native",
    kernelFunc: binaryKernel(name, alg, commutative),
  }));
}
