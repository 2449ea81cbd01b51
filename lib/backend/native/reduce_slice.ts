/**
 * `Sum` / `Mean` on oneDNN (sgemm against a ones vector, or its reduction primitive),
 * non-contiguous `Slice` on its reorder (a strided copy out of a submemory) and `PadV2` (a
 * reorder into a window of the filled output). Why: the cpu backend transposes the whole input so
 * that the reduced axes come last (per-channel sums over [N, H, W]: the conv-bias and BN
 * gradients), and slices element by element through index arithmetic (the gradient of `PadV2`,
 * in ResNet50's and MobileNetV2's padding layers). In one ResNet50 training step at batch 8 on
 * native, measured with `tf.profile`: Sum 1.19 s over 64 calls, one Slice 1.04 s and two PadV2
 * 0.21 s, of a 4.9 s step.
 *
 * Why sgemm for a reduction over leading (or trailing) axes: x is then a row-major
 * [rows, cols] matrix and the sum is `ones[1, rows] x [rows, cols]` (or `[rows, cols] x
 * ones[cols, 1]`), a gemv that oneDNN's sgemm runs at memory speed on all threads. oneDNN 2.6's
 * reduction primitive took 17.7 ms for [8, 28, 28, 256] -> [256] (the ResNet50 conv-bias
 * gradient; 69 such sums were 368 ms of a 1.6 s step); other axis patterns still use it. Other
 * dtypes, rank 0 and empty tensors run the cpu kernels; a contiguous slice stays the cpu kernel's
 * zero-copy view.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, dimsArray, DNNL } from "./dnnl_library.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap };

/**
 * x as [rows, cols] when `axes` are its leading axes (reduce rows) or its trailing axes (reduce
 * cols); null for any other pattern.
 */
function gemmReduction(
  shape: number[],
  axes: number[],
): { leading: boolean; rows: number; cols: number } | null {
  const sorted = [...axes].sort((a, b) => a - b);
  const k = sorted.length, r = shape.length;
  const split = (at: number) => ({
    rows: tf.util.sizeFromShape(shape.slice(0, at)),
    cols: tf.util.sizeFromShape(shape.slice(at)),
  });
  if (sorted.every((a, i) => a === i)) return { leading: true, ...split(k) };
  if (sorted.every((a, i) => a === r - k + i)) return { leading: false, ...split(r - k) };
  return null;
}

/** Ones shared by every gemm reduction (grown on demand, never written by sgemm). */
let ones = new Float32Array(0);
function onesOf(n: number): Float32Array {
  if (ones.length < n) ones = new Float32Array(Math.max(n, 2 * ones.length)).fill(1);
  return ones.subarray(0, n);
}

function reduce(name: "Sum" | "Mean", alg: number): tf.KernelFunc {
  const run = (args: Args): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== "float32" || x.shape.length === 0 || size === 0) {
      return runCpuKernel(name, args) as tf.TensorInfo;
    }
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d)); // [..] with 1s
    // oneDNN refuses a "reduction" that reduces nothing (only axes of size 1, or none).
    if (tf.util.arraysEqual(kept, x.shape)) return runCpuKernel(name, args) as tf.TensorInfo;
    const outShape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    const { backend } = args, dnnl = backend.dnnl;
    const gemm = gemmReduction(x.shape, axes);
    if (gemm) {
      const out = backend.output(outShape);
      const count = size / tf.util.sizeFromShape(outShape);
      const ones = onesOf(gemm.leading ? gemm.rows : gemm.cols);
      const alpha = name === "Mean" ? 1 / count : 1;
      if (gemm.leading) {
        // [1, rows] x [rows, cols] -> [1, cols]
        dnnl.sgemm(ones, backend.f32(x), out.values, { m: 1, n: gemm.cols, k: gemm.rows }, {
          alpha,
        });
      } else {
        // [rows, cols] x [cols, 1] -> [rows, 1]
        dnnl.sgemm(backend.f32(x), ones, out.values, { m: gemm.rows, n: 1, k: gemm.cols }, {
          alpha,
        });
      }
      return out.info;
    }
    const prim = dnnl.primitive(`reduce${alg}|${x.shape}|${kept}`, () => {
      const src = dnnl.plainDesc(x.shape), dst = dnnl.plainDesc(kept);
      const op = new Uint8Array(DESC_BYTES);
      dnnl.check(
        dnnl.symbols.dnnl_reduction_desc_init(op, alg, src, dst, 0, 0),
        `describing ${name} of [${x.shape}] to [${kept}]`,
      );
      return { op, args: [[DNNL.arg.src, src], [DNNL.arg.dst, dst]] };
    });
    const out = backend.output(outShape);
    dnnl.execute(prim, [[DNNL.arg.src, backend.f32(x)], [DNNL.arg.dst, out.values]]);
    return out.info;
  };
  return run as unknown as tf.KernelFunc;
}

function slice(args: Args): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { begin, size } = args.attrs as { begin: number[]; size: number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
  if (
    x.dtype !== "float32" || x.shape.length === 0 || tf.util.sizeFromShape(s) === 0 ||
    tf.slice_util.isSliceContinous(x.shape, b, s)
  ) {
    return runCpuKernel(tf.Slice, args) as tf.TensorInfo;
  }
  const { backend } = args, dnnl = backend.dnnl;
  const prim = dnnl.reorder(`slice|${x.shape}|${b}|${s}`, () => {
    const parent = dnnl.plainDesc(x.shape);
    const src = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_memory_desc_init_submemory(src, parent, dimsArray(s), dimsArray(b)),
      `describing slice [${b}] + [${s}] of [${x.shape}]`,
    );
    return { src, dst: dnnl.plainDesc(s) };
  });
  const out = backend.output(s);
  dnnl.execute(prim, [[DNNL.arg.src, backend.f32(x)], [DNNL.arg.dst, out.values]]);
  return out.info;
}

/** PadV2 = a reorder of x into the window [pad_before, shape) of the filled output. */
function padV2(args: Args): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { paddings, constantValue } = args.attrs as {
    paddings: [number, number][];
    constantValue: number;
  };
  const outShape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  if (x.dtype !== "float32" || x.shape.length === 0 || tf.util.sizeFromShape(x.shape) === 0) {
    return runCpuKernel(tf.PadV2, args) as tf.TensorInfo;
  }
  const begin = paddings.map((p) => p[0]);
  const { backend } = args, dnnl = backend.dnnl;
  const prim = dnnl.reorder(`pad|${x.shape}|${paddings}`, () => {
    const parent = dnnl.plainDesc(outShape);
    const dst = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_memory_desc_init_submemory(
        dst,
        parent,
        dimsArray(x.shape),
        dimsArray(begin),
      ),
      `describing the window [${begin}] + [${x.shape}] of [${outShape}]`,
    );
    return { src: dnnl.plainDesc(x.shape), dst };
  });
  // The reorder writes only the window: the border must be the fill value, not a dirty array's.
  const out = backend.output(outShape, { zeroed: constantValue === 0 });
  if (constantValue !== 0) out.values.fill(constantValue);
  dnnl.execute(prim, [[DNNL.arg.src, backend.f32(x)], [DNNL.arg.dst, out.values]]);
  return out.info;
}

/** Kernel configs of `Sum`, `Mean`, `Slice` and `PadV2` on the native backend. */
export function reduceSliceConfigs(): tf.KernelConfig[] {
  return [
    { kernelName: tf.Sum, backendName: "native", kernelFunc: reduce("Sum", DNNL.alg.reductionSum) },
    {
      kernelName: tf.Mean,
      backendName: "native",
      kernelFunc: reduce("Mean", DNNL.alg.reductionMean),
    },
    { kernelName: tf.Slice, backendName: "native", kernelFunc: slice as unknown as tf.KernelFunc },
    { kernelName: tf.PadV2, backendName: "native", kernelFunc: padV2 as unknown as tf.KernelFunc },
  ];
}
