/**
 * Microbenchmark: our wasm training kernels vs the stock wasm kernels on ResNet50 /
 * MobileNetV2 shapes (batch 8, 112x112 input). Run:
 * `deno run -A lib/backend/wasm_kernels/profile_kernels_bench.ts`. Prints a markdown table.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "./mod.ts";
import { ORIGINAL_KERNELS } from "./kernel_util.ts";
import { randomValues } from "../../../tests/support/wasm_kernel_checks.ts";
import { textTable } from "../../format/text_table.ts";

await tf.setBackend("wasm");
registerWasmTrainingKernels();

function timeIt(f: () => tf.Tensor | tf.Tensor[], reps = 3): number {
  tf.dispose(f());
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    tf.dispose(f());
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function stock(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.Tensor {
  const cfg = ORIGINAL_KERNELS.get(name)!;
  const backend = tf.backend();
  const out = cfg.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(out);
}

const r = (shape: number[], seed = 1) => tf.tensor(randomValues(shape, seed), shape);
const rows: string[][] = [];
const row = (k: string, s: string, ours: number, st: number | string) =>
  rows.push([k, s, ours.toFixed(1), typeof st === "number" ? st.toFixed(1) : st]);

const only = Deno.args[0];
const conv = [
  { x: [8, 28, 28, 128], k: 3, co: 128, s: 1, note: "ResNet50 stage2 3x3" },
  { x: [8, 56, 56, 64], k: 3, co: 64, s: 1, note: "ResNet50 stage1 3x3" },
  { x: [8, 28, 28, 512], k: 1, co: 128, s: 1, note: "ResNet50 1x1 reduce" },
  { x: [8, 56, 56, 256], k: 1, co: 512, s: 2, note: "ResNet50 1x1/2 shortcut" },
  { x: [8, 56, 56, 128], k: 3, co: 128, s: 2, note: "ResNet 3x3/2" },
];
if (!only || only === "conv") {
  for (const c of conv) {
    const fs = [c.k, c.k, c.x[3], c.co];
    const x = r(c.x), f = r(fs, 2);
    const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, "same");
    const dy = r(y.shape, 3);
    const attrsF = { strides: c.s, pad: "same", dataFormat: "NHWC", filterShape: fs };
    const attrsI = { strides: c.s, pad: "same", dataFormat: "NHWC", inputShape: c.x };
    const label = `${c.note}: x ${c.x} f ${fs} s${c.s}`;
    row(
      "Conv2DBackpropFilter",
      label,
      timeIt(() => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrsF) as tf.Tensor),
      "missing",
    );
    const bigNaive = c.x[1] * c.x[2] * c.x[3] * c.co * c.k * c.k > 3e8;
    row(
      "Conv2DBackpropInput",
      label,
      timeIt(() =>
        tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: f }, attrsI) as tf.Tensor
      ),
      bigNaive && only !== "conv"
        ? "skipped"
        : timeIt(() => stock("Conv2DBackpropInput", { dy, filter: f }, attrsI), 1),
    );
    row(
      "Conv2D (forward, reference)",
      label,
      timeIt(() => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, "same")),
      "-",
    );
    tf.dispose([x, f, y, dy]);
  }
}
const dw = [
  { x: [8, 56, 56, 144], s: 1, note: "MobileNetV2 dw" },
  { x: [8, 56, 56, 144], s: 2, note: "MobileNetV2 dw/2" },
  { x: [8, 14, 14, 576], s: 1, note: "MobileNetV2 dw" },
];
if (!only || only === "dw") {
  for (const c of dw) {
    const fs = [3, 3, c.x[3], 1];
    const x = r(c.x), f = r(fs, 2);
    const y = tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, "same");
    const dy = r(y.shape, 3);
    const label = `${c.note}: x ${c.x} s${c.s}`;
    row(
      "DepthwiseConv2dNativeBackpropFilter",
      label,
      timeIt(() =>
        tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
          strides: c.s,
          pad: "same",
          dilations: 1,
          filterShape: fs,
        }) as tf.Tensor
      ),
      "missing",
    );
    row(
      "DepthwiseConv2dNativeBackpropInput",
      label,
      timeIt(() =>
        tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: f }, {
          strides: c.s,
          pad: "same",
          dilations: 1,
          inputShape: c.x,
        }) as tf.Tensor
      ),
      "missing",
    );
    row(
      "DepthwiseConv2dNative (forward, reference)",
      label,
      timeIt(() => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, "same")),
      "-",
    );
    tf.dispose([x, f, y, dy]);
  }
}
if (!only || only === "mm") {
  for (
    const [m, k, n, ta, tb] of [[8, 2048, 512, false, true], [2048, 8, 512, true, false], [
      8,
      512,
      10000,
      false,
      true,
    ], [512, 8, 10000, true, false]] as const
  ) {
    const a = r(ta ? [k, m] : [m, k]), b = r(tb ? [n, k] : [k, n], 2);
    const attrs = { transposeA: ta, transposeB: tb };
    row(
      "BatchMatMul",
      `[${m}x${k}]x[${k}x${n}] tA=${ta} tB=${tb}`,
      timeIt(() => tf.matMul(a, b, ta, tb)),
      timeIt(() => stock("BatchMatMul", { a, b }, attrs), 1),
    );
    tf.dispose([a, b]);
  }
}
if (!only || only === "bn") {
  for (const shape of [[8, 56, 56, 144], [8, 28, 28, 512]]) {
    const c = shape[3];
    const x = r(shape), g = r([c], 2), w = r(shape, 3), be = r([c], 4);
    const step = () =>
      tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, bb, gg, 1e-3), w));
      })([x, g, be]);
    const ours = timeIt(step);
    // Stock: swap the stock Sum/Mean kernels and gradient in, measure, swap ours back.
    const { uninstallFusedBatchNormGrad, installFusedBatchNormGrad } = await import(
      "./fused_batch_norm_grad.ts"
    );
    const ours2 = ["Sum", "Mean"].map((n) => tf.getKernel(n, "wasm")!);
    const swap = (cfgs: tf.KernelConfig[]) => {
      for (const cfg of cfgs) {
        tf.unregisterKernel(cfg.kernelName, "wasm");
        tf.registerKernel(cfg);
      }
    };
    uninstallFusedBatchNormGrad();
    swap(["Sum", "Mean"].map((n) => ORIGINAL_KERNELS.get(n)!));
    const st = timeIt(step);
    swap(ours2);
    installFusedBatchNormGrad();
    row("BN training fwd+bwd (moments, batchNorm, grads)", `x ${shape}`, ours, st);
    const sumOurs = timeIt(() => tf.sum(x, [0, 1, 2]));
    row(
      "Sum over [0,1,2]",
      `x ${shape}`,
      sumOurs,
      timeIt(() => stock("Sum", { x }, { axis: [0, 1, 2], keepDims: false })),
    );
    tf.dispose([x, g, w, be]);
  }
}
console.log(textTable(["kernel", "shape", "ours (ms)", "stock wasm (ms)"], rows));
