/**
 * `Sum` / `Mean` on oneDNN's reduction primitive, non-contiguous `Slice` on its reorder (a
 * strided copy out of a submemory) and `PadV2` (a reorder into a window of the filled output). Why: the cpu backend transposes the whole input so that the
 * reduced axes come last (per-channel sums over [N, H, W]: the conv-bias and BN gradients), and
 * slices element by element through index arithmetic (the gradient of `PadV2`, in ResNet50's and
 * MobileNetV2's padding layers). In one ResNet50 training step at batch 8 on native, measured
 * with `tf.profile`: Sum 1.19 s over 64 calls, one Slice 1.04 s and two PadV2 0.21 s, of a
 * 4.9 s step. Other
 * dtypes, rank 0 and empty tensors run the cpu kernels; a contiguous slice stays the cpu kernel's
 * zero-copy view.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, dimsArray, DNNL } from "./dnnl_library.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap };

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
