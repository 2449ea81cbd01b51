/**
 * Issue 14 item 3, second fixture (`../shared/fixtures/tf_checkpoint/`, see its SOURCE.md): the
 * MLPerf Tiny DS-CNN, a Keras-2 SavedModel TensorFlow wrote, with the float32 `.tflite`
 * TensorFlow Lite's converter made of the same trained model. The DS-CNN is rebuilt in tfjs-layers
 * (tests/support/ds_cnn.ts), its weights come from the checkpoint alone (our reader + the Keras
 * object-path mapping), and its outputs are compared with TFLite's own interpreter
 * (`@tensorflow/tfjs-tflite`, wasm) running the `.tflite` on the same deterministic inputs.
 *
 * Tolerance: the outputs are softmax probabilities in [0, 1]. The `.tflite` has every batch norm
 * folded into the preceding convolution's kernel and bias (w * gamma / sqrt(var + eps)), and
 * XNNPACK sums in another order than TF.js' cpu kernels; both are float32 rounding differences
 * (relative ~1e-7 per operation over 9 convolutions of at most 40 or 576 terms), far below 1e-4.
 * A wrong weight is not: the control below (one BN's moving variance left at its initial 1s)
 * moves the outputs by more than 1e-2, so 1e-4 separates the two by orders of magnitude.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { setupBackend } from "../lib/backend/mod.ts";
import { openCheckpoint } from "../lib/data/tf_checkpoint/mod.ts";
import { kerasWeightPaths, loadKerasWeights } from "../lib/models/keras_checkpoint/mod.ts";
import { mulberry32 } from "../lib/random/seeded_rng.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { buildDsCnn, DS_CNN_CLASSES, DS_CNN_INPUT_SHAPE } from "./support/ds_cnn.ts";
import { kwsSavedModelDir } from "./support/shared_data.ts";
import { loadTfliteFile, runTflite } from "./support/tflite_interpreter.ts";

const fixture = kwsSavedModelDir();
const TFLITE_FILE = "kws_ref_model_float32.tflite";
/** Max abs difference allowed between our outputs and TFLite's (see the module comment). */
const TOLERANCE = 1e-4;
/** What the control (a deliberately wrong weight) must at least move an output by. */
const CONTROL_MIN_DIFF = 1e-2;

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

/** Our model's output for each input, and TFLite's, as [inputs][12] arrays. */
async function outputsOf(
  model: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] },
  inputs: { values: Float32Array }[],
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const { values } of inputs) {
    const y = tf.tidy(() => model.predict(tf.tensor(values, [1, ...DS_CNN_INPUT_SHAPE])) as tf.Tensor);
    out.push(await y.data() as Float32Array); // [1, 12]
    y.dispose();
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

Deno.test({
  name: "tf_checkpoint fixture: the DS-CNN rebuilt from its checkpoint alone matches the TFLite " +
    "interpreter on its .tflite",
  ignore: !fixture,
  // The wasm interpreter keeps its module (and memory) for the rest of the process.
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await setupBackend("cpu", { env: {} });
    const dir = fixture!;
    const inputs = fixtureInputs();

    // TFLite's side: the converter's float32 model in TFLite's own runtime.
    const lite = await loadTfliteFile(join(dir, TFLITE_FILE));
    assertEquals(lite.inputs.map((i) => i.shape), [[1, ...DS_CNN_INPUT_SHAPE]]);
    assertEquals(lite.outputs.map((o) => o.shape), [[1, DS_CNN_CLASSES]]);
    const expected: Float32Array[] = [];
    for (const { values } of inputs) {
      const x = tf.tensor(values, [1, ...DS_CNN_INPUT_SHAPE]);
      expected.push(await runTflite(lite, x));
      x.dispose();
    }

    // Ours: the rebuilt network, every weight from the checkpoint (the SavedModel's variables/).
    const model = buildDsCnn();
    const ckpt = await openCheckpoint(dir);
    const plan = await loadKerasWeights(model, ckpt);
    const weights = kerasWeightPaths(model);
    assertEquals(plan.assignments.length, weights.length, "every weight of ours set once");
    const actual = await outputsOf(model, inputs);

    let worst = 0;
    for (let i = 0; i < inputs.length; i++) {
      const diff = maxAbsDiff(actual[i], expected[i]);
      worst = Math.max(worst, diff);
      console.log(
        `  ${inputs[i].name}: max |ours - tflite| = ${diff.toExponential(2)}, ` +
          `class ${argmax(actual[i])} (p ${actual[i][argmax(actual[i])].toFixed(4)}) vs ` +
          `tflite ${argmax(expected[i])} (p ${expected[i][argmax(expected[i])].toFixed(4)})`,
      );
      assertEquals(argmax(actual[i]), argmax(expected[i]), `${inputs[i].name}: same class`);
    }
    console.log(
      `  DS-CNN, ${plan.assignments.length} weights from ${ckpt.entries.length} checkpoint ` +
        `entries: max |ours - tflite| over ${inputs.length} inputs = ${worst.toExponential(2)} ` +
        `(tolerance ${TOLERANCE})`,
    );
    assert(worst <= TOLERANCE, `max abs difference ${worst} > ${TOLERANCE}`);

    // Control: one wrong weight (the first BN's moving variance back at 1s) must be caught.
    const movingVar = weights.find((w) => w.path === "layer_with_weights-1/moving_variance");
    assert(movingVar, "layer_with_weights-1/moving_variance among our weights");
    const ones = tf.ones(movingVar.shape);
    movingVar.write(ones);
    ones.dispose();
    const wrong = await outputsOf(model, inputs);
    const control = Math.max(...wrong.map((w, i) => maxAbsDiff(w, expected[i])));
    console.log(
      `  control (layer_with_weights-1/moving_variance = 1): max |ours - tflite| = ` +
        `${control.toExponential(2)}`,
    );
    assert(control > CONTROL_MIN_DIFF, `a wrong BN variance moved the outputs by only ${control}`);
    model.dispose();
  },
});
