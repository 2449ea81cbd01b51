/**
 * `MaxPool` and `AvgPool` (forward_inference; TF's average counts only in-bounds pixels, oneDNN's
 * avg_exclude_padding) and `MaxPoolGrad` on oneDNN pooling. Why the forwards: the cpu kernels
 * loop per output element; face-api's recognition net (a max pool and three average pools)
 * embedded LFW at 14 img/s on native with them, against 36 img/s on wasm.
 *
 * `MaxPoolGrad`: max pooling backward needs the argmax workspace of a forward pass, so
 * the kernel reruns the forward pooling (forward_training, cheap next to the backward on the cpu
 * backend) into a scratch workspace, then runs the backward with it:
 *   dx[n, h, w, c] = sum of dy over the windows whose maximum is x[n, h, w, c].
 * Why: the cpu kernel's loop took 0.90 s of a 2.27 s ResNet50 training step (batch 8, its one
 * 3x3/2 max pool), measured with `tf.profile`. Padded positions never win, as in TF.js. Ties
 * (equal values in a window) may credit a different position than the cpu kernel; in the
 * networks here a tie is a run of ReLU zeros, whose gradient the ReLU then zeroes either way.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, dimsArray, DNNL, NativeLibraryError, type Primitive } from "./dnnl_library.ts";
import { dnnlConvGeometry } from "./conv_geometry.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

type Args = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap };

/** The pooling geometry of `x` in oneDNN's terms, and its nhwc memory descriptors. */
function poolGeometry(dnnl: NativeBackend["dnnl"], x: tf.TensorInfo, attrs: tf.NamedAttrMap) {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const g = dnnlConvGeometry(info);
  const kernel = dimsArray([info.filterHeight, info.filterWidth]);
  return {
    info,
    key: `${g.key}|f${info.filterHeight}x${info.filterWidth}`,
    /** The op descriptor of a forward (prop) or, with `backward`, a backward pooling. */
    op(alg: number, prop: number | "backward") {
      const src = dnnl.memoryDesc(g.src, DNNL.tag.nhwc);
      const dst = dnnl.memoryDesc(g.dst, DNNL.tag.nhwc);
      const op = new Uint8Array(DESC_BYTES);
      const sym = dnnl.symbols;
      const rest = [g.strides, kernel, g.dilates, g.padL, g.padR] as const;
      dnnl.check(
        prop === "backward"
          ? sym.dnnl_pooling_v2_backward_desc_init(op, alg, src, dst, ...rest)
          : sym.dnnl_pooling_v2_forward_desc_init(op, prop, alg, src, dst, ...rest),
        "describing a pooling",
      );
      return { op, src, dst };
    },
  };
}

function poolForward(name: string, alg: number): tf.KernelFunc {
  const run = (args: Args): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32" || x.shape.length !== 4) {
      return runCpuKernel(name, args) as tf.TensorInfo;
    }
    const { backend } = args, dnnl = backend.dnnl;
    const pool = poolGeometry(dnnl, x, args.attrs);
    const prim = dnnl.primitive(`pool${alg}|${pool.key}|fwd_inference`, () => {
      const { op, src, dst } = pool.op(alg, DNNL.prop.forwardInference);
      return { op, args: [[DNNL.arg.src, src], [DNNL.arg.dst, dst]] };
    });
    const out = backend.output(pool.info.outShape); // [N, OH, OW, C]
    dnnl.execute(prim, [[DNNL.arg.src, backend.f32(x)], [DNNL.arg.dst, out.values]]);
    return out.info;
  };
  return run as unknown as tf.KernelFunc;
}

/** oneDNN's dnnl_query_workspace_md. */
const QUERY_WORKSPACE_MD = 135;

/** Per max-pool shape: the forward (training) and backward primitives and the workspace size. */
interface MaxPoolGradSetup {
  fwd: Primitive;
  bwd: Primitive;
  wsBytes: number;
}
const MAX_POOL_GRAD = new Map<string, MaxPoolGradSetup>();

function maxPoolGradSetup(dnnl: NativeBackend["dnnl"], pool: ReturnType<typeof poolGeometry>) {
  const hit = MAX_POOL_GRAD.get(pool.key);
  if (hit) return hit;
  const alg = DNNL.alg.poolingMax;
  const forward = () => pool.op(alg, DNNL.prop.forwardTraining);
  const hint = dnnl.primitiveDesc(`maxpool|${pool.key}`, () => forward().op);
  // The workspace layout is oneDNN's choice: read it off the forward primitive descriptor.
  const wsPtr = dnnl.symbols.dnnl_primitive_desc_query_md(hint, QUERY_WORKSPACE_MD, 0);
  if (wsPtr === null) throw new NativeLibraryError("oneDNN max pooling reported no workspace");
  const ws = new Uint8Array(DESC_BYTES);
  // A v2.6 memory descriptor is 696 bytes: copy 1 KiB of it into our own descriptor buffer.
  ws.set(new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(wsPtr, 1024)));
  const fwd = dnnl.primitive(`maxpool|${pool.key}|fwd`, () => {
    const { op, src, dst } = forward();
    return { op, args: [[DNNL.arg.src, src], [DNNL.arg.dst, dst], [DNNL.arg.workspace, ws]] };
  });
  const bwd = dnnl.primitive(`maxpool|${pool.key}|bwd`, () => {
    const { op, src, dst } = pool.op(alg, "backward");
    return {
      op,
      hint,
      args: [[DNNL.arg.diffDst, dst], [DNNL.arg.diffSrc, src], [DNNL.arg.workspace, ws]],
    };
  });
  const setup = { fwd, bwd, wsBytes: Number(dnnl.symbols.dnnl_memory_desc_get_size(ws)) };
  MAX_POOL_GRAD.set(pool.key, setup);
  return setup;
}

function maxPoolGrad(args: Args): tf.TensorInfo {
  const { dy, input: x } = args.inputs as Record<string, tf.TensorInfo>;
  if (x.dtype !== "float32" || dy.dtype !== "float32") {
    return runCpuKernel(tf.MaxPoolGrad, args) as tf.TensorInfo;
  }
  const { backend } = args, dnnl = backend.dnnl;
  const pool = poolGeometry(dnnl, x, args.attrs);
  const { fwd, bwd, wsBytes } = maxPoolGradSetup(dnnl, pool);
  const y = new Float32Array(tf.util.sizeFromShape(pool.info.outShape)); // [N, OH, OW, C], scratch
  const workspace = new Float32Array(Math.ceil(wsBytes / 4));
  dnnl.execute(fwd, [
    [DNNL.arg.src, backend.f32(x)],
    [DNNL.arg.dst, y],
    [DNNL.arg.workspace, workspace],
  ]);
  const dx = backend.output(x.shape); // [N, H, W, C]
  dnnl.execute(bwd, [
    [DNNL.arg.diffDst, backend.f32(dy)],
    [DNNL.arg.diffSrc, dx.values],
    [DNNL.arg.workspace, workspace],
  ]);
  return dx.info;
}

/** Kernel configs of `MaxPool`, `AvgPool` and `MaxPoolGrad` on the native backend. */
export function poolingConfigs(): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.MaxPool,
      backendName: "native",
      kernelFunc: poolForward(tf.MaxPool, DNNL.alg.poolingMax),
    },
    {
      kernelName: tf.AvgPool,
      backendName: "native",
      kernelFunc: poolForward(tf.AvgPool, DNNL.alg.poolingAvgExcludePadding),
    },
    {
      kernelName: tf.MaxPoolGrad,
      backendName: "native",
      kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
    },
  ];
}
