/**
 * Speed sanity (not a test): the native backend's oneDNN conv kernels vs the wasm backend
 * (with our wasm training kernels) on a ResNet50 3x3 layer and a MobileFaceNet depthwise
 * layer, batch 8, forward and both backprops. Run:
 * `OMP_NUM_THREADS=2 deno run -A lib/backend/native/conv_speed_bench.ts`. Prints a markdown
 * table of the best of 3 runs in ms; `DNNL_VERBOSE=1` shows the implementation oneDNN chose
 * (`ref:` would mean its slow reference loops).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { randomValues, setupBackends } from "../../../tests/support/wasm_kernel_checks.ts";
import { textTable } from "../../format/text_table.ts";

await setupBackends();

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

const LAYERS = [
  { x: [8, 28, 28, 128], k: 3, co: 128, depthwise: false, note: "ResNet50 3x3 28x28x128" },
  { x: [8, 56, 56, 64], k: 3, co: 64, depthwise: true, note: "MobileFaceNet dw 3x3 56x56x64" },
];

const rows: string[][] = [];
for (const c of LAYERS) {
  const fs = [c.k, c.k, c.x[3], c.depthwise ? 1 : c.co];
  const ms: Record<string, number[]> = {};
  for (const backend of ["native", "wasm"]) {
    await tf.setBackend(backend);
    const x = tf.tensor4d(randomValues(c.x, 1), c.x as [number, number, number, number]);
    const f = tf.tensor4d(randomValues(fs, 2), fs as [number, number, number, number]);
    const fwd = () =>
      c.depthwise ? tf.depthwiseConv2d(x, f, 1, "same") : tf.conv2d(x, f, 1, "same");
    const y = fwd();
    const dy = tf.tensor(randomValues(y.shape, 3), y.shape);
    const bwdInput = () =>
      tf.engine().runKernel(
        c.depthwise ? "DepthwiseConv2dNativeBackpropInput" : "Conv2DBackpropInput",
        { dy, filter: f },
        { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1, inputShape: c.x },
      ) as tf.Tensor;
    const bwdFilter = () =>
      tf.engine().runKernel(
        c.depthwise ? "DepthwiseConv2dNativeBackpropFilter" : "Conv2DBackpropFilter",
        { x, dy },
        { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1, filterShape: fs },
      ) as tf.Tensor;
    ms[backend] = [timeIt(fwd), timeIt(bwdInput), timeIt(bwdFilter)];
    tf.dispose([x, f, y, dy]);
  }
  ["forward", "backprop input", "backprop filter"].forEach((what, i) => {
    const [n, w] = [ms.native[i], ms.wasm[i]];
    rows.push([c.note, what, n.toFixed(1), w.toFixed(1), (w / n).toFixed(1)]);
  });
  const [n, w] = [ms.native, ms.wasm].map((v) => v.reduce((a, b) => a + b, 0));
  rows.push([c.note, "fwd+bwd", n.toFixed(1), w.toFixed(1), (w / n).toFixed(1)]);
}
console.log(textTable(["layer (N=8)", "pass", "native ms", "wasm ms", "wasm/native"], rows));
