/**
 * Issue 14 item 3, second fixture (`../shared/fixtures/tf_checkpoint/`, see its SOURCE.md): the
 * MLPerf Tiny DS-CNN as a Keras-2 SavedModel TensorFlow wrote, and `kws_ref_model_float32.tflite`.
 * The DS-CNN is rebuilt in tfjs-layers (tests/support/ds_cnn.ts) and checked twice:
 *
 * 1. Against TFLite's own interpreter (`@tensorflow/tfjs-tflite`, wasm, under Deno) running the
 *    `.tflite`, with the `.tflite`'s weights in our network: max |ours - tflite| over four inputs
 *    printed 1.34e-7 here; tolerance 1e-5. The `.tflite` is not all float: its five CONV_2D kernels
 *    are int8 (dynamic-range quantisation) and TFLite quantises their inputs per batch, which
 *    tests/support/ds_cnn_tflite.ts reproduces; what is left is float32 rounding (softmax
 *    outputs in [0, 1], ~1e-7 per operation over 9 convolutions of at most 576 terms), so 1e-5
 *    leaves a ~75x margin. The control, the same network with plain float convolutions (no input
 *    quantisation), printed 2.02e-1: the tolerance is far from both. The test also fails with a
 *    24x5 pooling (SOURCE.md's figure) or with the interpreter's output read without a copy.
 * 2. From the checkpoint alone (our reader + the Keras object-path mapping): all 56 weights set
 *    once from the 56 model variables, each with the shape of the `.tflite`'s tensor for that
 *    layer; and the batch norms folded into the convolutions as the converter does keep the
 *    outputs (printed 5.36e-7, tolerance 1e-5; a fold without the moving mean: 1.69e-1).
 *
 * What the issue asked, "the checkpoint's network against the `.tflite` of the same trained model",
 * cannot pass on this fixture: the `.tflite` holds the weights of another training run. Decisive,
 * with nothing folded: the dense layer's bias (no batch norm follows it) differs by up to 1.05e-1
 * between `layer_with_weights-18/bias` and the `.tflite`'s FULLY_CONNECTED bias, and neither
 * 48-byte array occurs anywhere in the other's file. The third test (weights of the checkpoint,
 * batch norms folded, against the `.tflite`'s within half an int8 step) is therefore ignored;
 * enabled today it fails at the first layer (conv_0: kernel 2.86e-1 off, half an int8 step is
 * 1.0e-3); it runs unchanged once the fixture has a `.tflite` converted from this SavedModel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { join } from "node:path";
import { setupBackend } from "../lib/backend/mod.ts";
import { openCheckpoint } from "../lib/data/tf_checkpoint/mod.ts";
import { kerasWeightPaths, loadKerasWeights } from "../lib/models/keras_checkpoint/mod.ts";
import { mulberry32 } from "../lib/random/seeded_rng.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { buildDsCnn, DS_CNN_CLASSES, DS_CNN_INPUT_SHAPE } from "./support/ds_cnn.ts";
import { runDsCnnHybrid, setDsCnnWeightsFromTflite } from "./support/ds_cnn_tflite.ts";
import { kwsSavedModelDir } from "./support/shared_data.ts";
import {
  readTfliteGraph,
  type TfliteGraph,
  tfliteTensorValues,
} from "./support/tflite_flatbuffer.ts";
import { loadTfliteFile, runTflite } from "./support/tflite_interpreter.ts";

const fixture = kwsSavedModelDir();
const TFLITE_FILE = "kws_ref_model_float32.tflite";
/** Max abs difference allowed between our outputs and TFLite's (see the module comment). */
const TOLERANCE = 1e-5;
/** What the control (no hybrid input quantisation) must at least differ by. */
const CONTROL_MIN_DIFF = 1e-3;

/** Four deterministic inputs of the model's shape, values in MFCC-like ranges. */
function fixtureInputs(): { name: string; values: Float32Array }[] {
  const n = DS_CNN_INPUT_SHAPE.reduce((a: number, b: number) => a * b, 1);
  const seeded = (seed: number, scale: number) => {
    const rand = mulberry32(seed);
    return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  };
  return [
    { name: "zeros", values: new Float32Array(n) },
    { name: "ramp", values: Float32Array.from({ length: n }, (_, i) => (i / (n - 1)) * 40 - 20) },
    { name: "uniform(seed 1, +-10)", values: seeded(1, 10) },
    { name: "uniform(seed 2, +-30)", values: seeded(2, 30) },
  ];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** Each input's [1, 12] output from `run`, read back. */
async function outputsOf(
  run: (x: tf.Tensor) => tf.Tensor,
  inputs: { values: Float32Array }[],
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const { values } of inputs) {
    const y = tf.tidy(() => run(tf.tensor(values, [1, ...DS_CNN_INPUT_SHAPE])));
    out.push(await y.data() as Float32Array); // [1, 12]
    y.dispose();
  }
  return out;
}

async function readTflite(dir: string): Promise<TfliteGraph> {
  const file = join(dir, TFLITE_FILE);
  return readTfliteGraph(await Deno.readFile(file), file);
}

/** The `.tflite`'s weight tensors in operator order (the kernel, then the bias, of each op). */
function tfliteWeights(graph: TfliteGraph) {
  return graph.operators
    .filter((o) => ["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"].includes(o.op))
    .map((o) => ({
      op: o.op,
      kernel: graph.tensors[o.inputs[1]],
      bias: graph.tensors[o.inputs[2]],
    }));
}

/** The DS-CNN with every weight from the fixture's checkpoint. */
async function dsCnnFromCheckpoint(dir: string) {
  const model = buildDsCnn();
  const ckpt = await openCheckpoint(dir);
  const plan = await loadKerasWeights(model, ckpt);
  return { model, ckpt, plan };
}

const testOptions = {
  ignore: !fixture,
  // The wasm interpreter keeps its module (and memory) for the rest of the process.
  sanitizeResources: false,
  sanitizeOps: false,
};

Deno.test({
  ...testOptions,
  name: "tf_checkpoint fixture: TFLite's interpreter under Deno runs the .tflite as our DS-CNN " +
    "does with the .tflite's weights (int8 convolutions' input quantisation reproduced)",
  fn: async () => {
    await setupBackend("cpu", { env: {} });
    const dir = fixture!;
    const inputs = fixtureInputs();
    const graph = await readTflite(dir);
    assertEquals(
      graph.operators.map((o) => o.op).join(" "),
      "CONV_2D" + " DEPTHWISE_CONV_2D CONV_2D".repeat(4) +
        " AVERAGE_POOL_2D RESHAPE FULLY_CONNECTED SOFTMAX",
      "the DS-CNN's operators (BN and ReLU fused)",
    );

    const lite = await loadTfliteFile(join(dir, TFLITE_FILE));
    assertEquals(lite.inputs.map((i) => i.shape), [[1, ...DS_CNN_INPUT_SHAPE]]);
    assertEquals(lite.outputs.map((o) => o.shape), [[1, DS_CNN_CLASSES]]);
    const expected: Float32Array[] = [];
    for (const { values } of inputs) {
      const x = tf.tensor(values, [1, ...DS_CNN_INPUT_SHAPE]);
      expected.push(await runTflite(lite, x));
      x.dispose();
    }

    const model = buildDsCnn();
    const { int8Layers, layers } = setDsCnnWeightsFromTflite(model, graph);
    assertEquals(layers.length, model.layers.filter((l) => l.weights.length > 0).length);
    assertEquals([...int8Layers], ["conv_0", "pw_1", "pw_2", "pw_3", "pw_4"]);
    const actual = await outputsOf((x) => runDsCnnHybrid(model, x, { int8Layers }), inputs);
    let worst = 0;
    for (let i = 0; i < inputs.length; i++) {
      const diff = maxAbsDiff(actual[i], expected[i]);
      worst = Math.max(worst, diff);
      console.log(
        `  ${inputs[i].name}: max |ours - tflite| = ${diff.toExponential(2)}, class ` +
          `${argmax(actual[i])} (p ${actual[i][argmax(actual[i])].toFixed(4)}) vs tflite ` +
          `${argmax(expected[i])} (p ${expected[i][argmax(expected[i])].toFixed(4)})`,
      );
    }
    // Inputs must differ from each other, or a stale read-back would pass unnoticed.
    assert(maxAbsDiff(expected[0], expected[1]) > 1e-2, "TFLite's outputs differ per input");
    console.log(
      `  DS-CNN on the .tflite's weights: max |ours - tflite| over ${inputs.length} inputs = ` +
        `${worst.toExponential(2)} (tolerance ${TOLERANCE})`,
    );
    assert(worst <= TOLERANCE, `max abs difference ${worst} > ${TOLERANCE}`);

    // Control: plain float convolutions (no input quantisation) must be told apart.
    const float = await outputsOf(
      (x) => runDsCnnHybrid(model, x, { int8Layers, hybrid: false }),
      inputs,
    );
    const control = Math.max(...float.map((f, i) => maxAbsDiff(f, expected[i])));
    console.log(
      `  control (float convolutions): max |ours - tflite| = ${control.toExponential(2)}`,
    );
    assert(control > CONTROL_MIN_DIFF, `the control moved the outputs by only ${control}`);
    model.dispose();
  },
});

Deno.test({
  ...testOptions,
  name: "tf_checkpoint fixture: the DS-CNN takes every weight from the checkpoint alone, with " +
    "the .tflite's shapes layer for layer",
  fn: async () => {
    await setupBackend("cpu", { env: {} });
    const dir = fixture!;
    const { model, ckpt, plan } = await dsCnnFromCheckpoint(dir);
    const weights = kerasWeightPaths(model);
    const modelVariables = ckpt.variables.filter((v) => v.kind === "model");
    assertEquals(plan.assignments.length, weights.length, "every weight of ours set once");
    assertEquals(plan.assignments.length, modelVariables.length, "every model variable used");
    assertEquals(new Set(plan.assignments.map((a) => a.variable.path)).size, weights.length);

    // Layer for layer, our kernels and biases have the .tflite's shapes (OHWI / 1HWC / [out, in]).
    const lite = tfliteWeights(await readTflite(dir));
    const ours = model.layers.filter((l) =>
      ["Conv2D", "DepthwiseConv2D", "Dense"].includes(l.getClassName())
    );
    assertEquals(ours.length, lite.length);
    for (let i = 0; i < lite.length; i++) {
      const [k, b] = ours[i].getWeights();
      const want = lite[i].op === "FULLY_CONNECTED"
        ? [lite[i].kernel.shape[1], lite[i].kernel.shape[0]]
        : [1, 2, 3, 0].map((a) => lite[i].kernel.shape[a]);
      assertEquals(k.shape, want, `${ours[i].name} kernel vs "${lite[i].kernel.name}"`);
      assertEquals(b.shape, lite[i].bias.shape, `${ours[i].name} bias`);
    }

    const probs = await outputsOf((x) => model.predict(x) as tf.Tensor, fixtureInputs());
    for (const p of probs) {
      assert(p.every(Number.isFinite), "finite outputs");
      assert(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5, "softmax sums to 1");
    }
    // Folding each batch norm into its convolution (what the converter does, and what the
    // ignored test below compares) keeps the network's outputs: the fold is checked here.
    const refolded = buildDsCnn();
    const identityBn = refolded.layers.filter((l) => l.getClassName() === "BatchNormalization");
    for (const bn of identityBn) {
      const n = bn.weights[0].shape[0]!;
      const eps = (bn.getConfig() as { epsilon: number }).epsilon;
      tf.tidy(() =>
        bn.setWeights([tf.ones([n]), tf.zeros([n]), tf.zeros([n]), tf.fill([n], 1 - eps)])
      );
    }
    const targets = refolded.layers.filter((l) =>
      ["Conv2D", "DepthwiseConv2D", "Dense"].includes(l.getClassName())
    );
    const folded = foldedWeights(model);
    folded.forEach((f, i) => targets[i].setWeights([f.kernel, f.bias]));
    const unfolded = await outputsOf((x) => refolded.predict(x) as tf.Tensor, fixtureInputs());
    const foldDiff = Math.max(...unfolded.map((u, i) => maxAbsDiff(u, probs[i])));
    console.log(
      `  batch norms folded: max |folded - checkpoint model| = ${foldDiff.toExponential(2)}`,
    );
    assert(foldDiff <= TOLERANCE, `folding changed the outputs by ${foldDiff}`);
    refolded.dispose();

    const denseBias = await ours.at(-1)!.getWeights()[1].data();
    console.log(
      `  ${plan.assignments.length} weights from ${modelVariables.length} model variables ` +
        `(${ckpt.entries.length} entries); dense bias: max |checkpoint - tflite| = ` +
        `${maxAbsDiff(denseBias, tfliteTensorValues(lite.at(-1)!.bias)).toExponential(2)} ` +
        `(nothing folded there: the .tflite is of another training run)`,
    );
    model.dispose();
  },
});

/** Checkpoint weights with each batch norm folded into the convolution before it. */
function foldedWeights(
  model: tfl.LayersModel,
): { name: string; kernel: tf.Tensor; bias: tf.Tensor }[] {
  const layers = model.layers.filter((l) => l.weights.length > 0);
  const out: { name: string; kernel: tf.Tensor; bias: tf.Tensor }[] = [];
  for (let i = 0; i < layers.length; i++) {
    const [kernel, bias] = layers[i].getWeights();
    const bn = layers[i + 1]?.getClassName() === "BatchNormalization" ? layers[++i] : undefined;
    if (!bn) {
      out.push({ name: layers[i].name, kernel, bias });
      continue;
    }
    const [gamma, beta, mean, variance] = bn.getWeights();
    const eps = (bn.getConfig() as { epsilon: number }).epsilon;
    out.push(tf.tidy(() => {
      const s = tf.div(gamma, tf.sqrt(tf.add(variance, eps))); // [channels]
      // conv HWIO: channels last; depthwise HWC1: channels on axis 2
      const sk = kernel.shape[3] === 1 ? tf.reshape(s, [-1, 1]) : s;
      return {
        name: layers[i - 1].name,
        kernel: tf.mul(kernel, sk),
        bias: tf.add(beta, tf.mul(tf.sub(bias, mean), s)),
      };
    }));
  }
  return out;
}

Deno.test({
  ...testOptions,
  // The fixture's .tflite is of another training run (module comment): re-enable with a .tflite
  // converted from this SavedModel.
  ignore: true,
  name: "tf_checkpoint fixture: the checkpoint's weights, batch norms folded, are the .tflite's",
  fn: async () => {
    await setupBackend("cpu", { env: {} });
    const dir = fixture!;
    const { model } = await dsCnnFromCheckpoint(dir);
    const lite = tfliteWeights(await readTflite(dir));
    const folded = foldedWeights(model);
    assertEquals(folded.length, lite.length);
    for (let i = 0; i < lite.length; i++) {
      const { kernel, bias, op } = lite[i];
      const theirs = tf.tidy(() => {
        const k = tf.tensor(tfliteTensorValues(kernel), kernel.shape);
        return op === "FULLY_CONNECTED" ? tf.transpose(k) : tf.transpose(k, [1, 2, 3, 0]);
      });
      // int8: within half a quantisation step (plus float32 rounding); float32: rounding only.
      const step = kernel.type === "int8" ? Math.max(...kernel.scale) / 2 : 0;
      const dk = maxAbsDiff(await folded[i].kernel.data(), await theirs.data());
      const db = maxAbsDiff(await folded[i].bias.data(), tfliteTensorValues(bias));
      console.log(
        `  ${folded[i].name}: kernel ${dk.toExponential(2)}, bias ${db.toExponential(2)}`,
      );
      assert(dk <= step + 1e-5, `${folded[i].name}: kernel differs by ${dk} (step/2 ${step})`);
      assert(db <= 1e-5, `${folded[i].name}: bias differs by ${db}`);
      theirs.dispose();
    }
    model.dispose();
  },
});
