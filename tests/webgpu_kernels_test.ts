/**
 * Every kernel a training step uses (tests/support/training_kernels.ts) on webgpu against the
 * pure-JS cpu backend, forward and gradients, on small shapes: relative error <= 1e-4
 * (max |webgpu - cpu| / max |cpu|, see tests/support/wasm_kernel_checks.ts). In CI this runs on
 * the software adapter (Mesa llvmpipe, opted in by name): the same WGSL shaders a GPU runs, but
 * no GPU was involved. Only `await data()` reads back (dataSync fails on webgpu in Deno).
 */
import { tinyReplicaSpec } from "./support/tiny_replica.ts";
import * as tf from "@tensorflow/tfjs-core";
import { assert } from "./support/assert.ts";
import { compareBackends, rand } from "./support/wasm_kernel_checks.ts";
import { KERNELS_ONLY_IN, TRAINING_KERNELS } from "./support/training_kernels.ts";
import { noWebgpuAdapter, setupWebgpuTests } from "./support/webgpu_tests.ts";
import { createReplicas } from "../lib/train/replica_pool.ts";
import { trainStep } from "../lib/train/train_step.ts";

const ignored = await noWebgpuAdapter();
if (ignored) console.log(`webgpu kernel tests ignored: ${ignored}`);

/** One check: `f` returns the outputs compared; `kernels` are those it must run on cpu. */
interface KernelCase {
  label: string;
  kernels: string[];
  f: () => tf.Tensor[];
}

/** f(x) and its gradients with respect to `xs`, seeded by a fixed upstream gradient. */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const y = f(...xs);
  const dy = rand(y.shape, 99);
  const grads = tf.grads((...a: tf.Tensor[]) => f(...a))(xs, dy);
  return [y, ...grads];
}

const CASES: KernelCase[] = [
  {
    label: "fused conv2d (bias) stride 2 same + grads",
    kernels: ["FusedConv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "Sum"],
    f: () =>
      withGrads(
        (x, w, b) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            bias: b,
            strides: 2,
            pad: "same",
          }),
        [rand([2, 9, 9, 3], 1), rand([3, 3, 3, 5], 2), rand([5], 3)],
      ),
  },
  {
    label: "fused conv2d 1x1 valid stride 1 + grads",
    kernels: ["FusedConv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput"],
    f: () =>
      withGrads(
        (x, w) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: 1,
            pad: "valid",
          }),
        [rand([2, 6, 6, 4], 4), rand([1, 1, 4, 6], 5)],
      ),
  },
  ...([[1, "same", 3], [2, "same", 3], [1, "valid", 7]] as const).map(
    ([s, pad, k]): KernelCase => ({
      label: `depthwise ${k}x${k} stride ${s} ${pad} + grads`,
      kernels: [
        "DepthwiseConv2dNative",
        "DepthwiseConv2dNativeBackpropFilter",
        "DepthwiseConv2dNativeBackpropInput",
      ],
      f: () =>
        withGrads(
          (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad),
          [rand([2, 9, 9, 4], 6), rand([k, k, 4, 1], 7)],
        ),
    }),
  ),
  {
    label: "matMul (both transposes in the gradient) + grads",
    kernels: ["BatchMatMul"],
    f: () =>
      withGrads((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), [
        rand([4, 16], 8),
        rand([6, 16], 9),
      ]),
  },
  {
    label: "fused matMul with bias + grads",
    kernels: ["_FusedMatMul", "BatchMatMul", "Sum"],
    f: () =>
      withGrads(
        (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c }),
        [rand([4, 12], 10), rand([12, 8], 11), rand([8], 12)],
      ),
  },
  {
    label: "batch norm in training mode (batch moments) + grads",
    kernels: ["FusedBatchNorm", "Mean", "Sub", "Square", "Rsqrt", "Multiply", "Sum", "Reshape"],
    f: () =>
      withGrads((x, g, b) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.batchNorm(x, mean, variance, b, g, 1e-3);
      }, [rand([2, 5, 5, 6], 13), rand([6], 14), rand([6], 15)]),
  },
  {
    label: "prelu + grads",
    kernels: ["Prelu", "Greater", "Select", "ZerosLike"],
    f: () => withGrads((x, a) => tf.prelu(x, a), [rand([2, 4, 4, 3], 16), rand([3], 17)]),
  },
  {
    label: "relu + grads",
    kernels: ["Relu", "Step", "Multiply"],
    f: () => withGrads((x) => tf.relu(x), [rand([3, 7, 5], 18)]),
  },
  {
    label: "clipByValue (relu6 / gradient clipping) + grads",
    kernels: ["ClipByValue", "GreaterEqual", "LessEqual", "LogicalAnd", "Select"],
    f: () => withGrads((x) => tf.clipByValue(tf.mul(x, 8), 0, 6), [rand([3, 11], 19)]),
  },
  {
    label: "maxPool 3x3 stride 2 same + grads",
    kernels: ["MaxPool", "MaxPoolGrad"],
    f: () => withGrads((x) => tf.maxPool(x as tf.Tensor4D, 3, 2, "same"), [rand([2, 9, 9, 3], 20)]),
  },
  {
    label: "pad + grads (slice)",
    kernels: ["PadV2", "Slice"],
    f: () =>
      withGrads((x) => tf.pad(x, [[0, 0], [1, 2], [0, 1], [0, 0]]), [rand([2, 4, 5, 3], 21)]),
  },
  {
    label: "elementwise chain: add, sub, div, pow, sqrt, exp, log, max, neg + grads",
    kernels: ["Add", "Sub", "RealDiv", "Pow", "Sqrt", "Exp", "Log", "Maximum", "Neg", "AddN"],
    f: () =>
      withGrads((x, y) => {
        const a = tf.div(tf.add(x, y), tf.sqrt(tf.maximum(tf.square(y), 0.1)));
        const b = tf.log(tf.add(tf.exp(tf.neg(x)), 1));
        return tf.addN([tf.pow(a, 2), tf.neg(b), tf.mul(x, a)]);
      }, [rand([5, 9], 22), rand([5, 9], 23)]),
  },
  {
    label: "softmax cross-entropy pieces: max, logSumExp, oneHot, tile, mean + grads",
    kernels: ["Max", "OneHot", "Tile", "Mean", "Exp", "Log", "Sum", "Identity"],
    f: () =>
      withGrads((logits) => {
        const hot = tf.oneHot(tf.tensor1d([0, 3, 1, 2], "int32"), 5);
        const lse = tf.logSumExp(logits, 1, true);
        const tiled = tf.tile(lse, [1, 5]);
        return tf.mean(tf.mul(hot, tf.sub(tiled, logits)));
      }, [rand([4, 5], 24)]),
  },
  {
    label: "accuracy pieces: argMax, equal, cast, logicalNot",
    kernels: ["ArgMax", "Equal", "Cast", "LogicalNot"],
    f: () => {
      const x = rand([6, 5], 25);
      const hit = tf.equal(tf.argMax(x, 1), tf.tensor1d([0, 1, 2, 3, 4, 0], "int32"));
      return [tf.cast(hit, "float32"), tf.cast(tf.logicalNot(hit), "float32")];
    },
  },
  {
    // The step logs the mean target angle acos(cos theta_y), off the loss's path (no gradient).
    label: "target angle: acos",
    kernels: ["Acos"],
    f: () => [tf.acos(tf.mul(rand([6, 5], 26), 0.99))],
  },
];

Deno.test({
  name: "the kernel cases cover every training kernel and run the kernels they claim (cpu)",
  ignore: ignored !== null,
  async fn() {
    await setupWebgpuTests();
    await tf.setBackend("cpu");
    const covered = new Set<string>();
    for (const c of CASES) {
      const { kernelNames } = await tf.profile(() => tf.dispose(c.f()));
      const missing = c.kernels.filter((k) => !kernelNames.includes(k));
      assert(missing.length === 0, `${c.label} does not run ${missing} (ran ${kernelNames})`);
      for (const k of kernelNames) covered.add(k);
    }
    const uncovered = TRAINING_KERNELS.filter((k) => !covered.has(k));
    assert(uncovered.length === 0, `training kernels no case runs: ${uncovered}`);
    await tf.setBackend("webgpu");
  },
});

for (const c of CASES) {
  Deno.test({
    name: `webgpu matches cpu: ${c.label}`,
    ignore: ignored !== null,
    async fn() {
      await setupWebgpuTests();
      const err = await compareBackends(c.label, c.f, { backend: "webgpu" });
      assert(err <= 1e-4, `${c.label}: ${err}`);
    },
  });
}

Deno.test({
  name: "a MobileFaceNet training step on webgpu runs only listed kernels and leaks nothing",
  ignore: ignored !== null,
  async fn() {
    await setupWebgpuTests();
    const [h] = await createReplicas(tinyReplicaSpec());
    try {
      const n = 2, px = 32 * 32 * 3;
      const batch = {
        images: Float32Array.from({ length: n * px }, (_, i) => (i * 7919 % 255) / 255),
        labels: Int32Array.from({ length: n }, (_, i) => i % 5),
      };
      const options = { lr: 0.01, microBatch: 2, gradClipNorm: 1 };
      await trainStep([h], batch, options); // creates the momentum slots
      const before = tf.memory().numTensors;
      const { kernelNames } = await tf.profile(async () => {
        await trainStep([h], batch, options);
        return [];
      });
      const known = new Set([...TRAINING_KERNELS, ...Object.values(KERNELS_ONLY_IN).flat()]);
      const unlisted = kernelNames.filter((k) => !k.endsWith("__op") && !known.has(k));
      assert(unlisted.length === 0, `kernels not in training_kernels.ts: ${unlisted}`);
      assert(tf.memory().numTensors === before, `${before} -> ${tf.memory().numTensors} tensors`);
    } finally {
      await h.close();
    }
  },
});
