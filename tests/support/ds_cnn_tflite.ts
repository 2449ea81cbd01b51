/**
 * Test helper: the DS-CNN of tests/support/ds_cnn.ts run with the weights of the fixture's
 * `.tflite` and with TFLite's dynamic-range ("hybrid") arithmetic, so that the TF.js network can
 * be compared with TFLite's interpreter value for value.
 *
 * The fixture's `kws_ref_model_float32.tflite` is not all float32: its five CONV_2D kernels are
 * int8 (one scale per tensor, zero point 0; DEPTHWISE_CONV_2D and FULLY_CONNECTED weights are
 * float32). TFLite runs such a convolution as a hybrid kernel: it quantises the convolution's
 * float input per batch, symmetrically (scale = max|x| / 127, x_q = round(x / scale), all zeros
 * when max|x| = 0), multiplies in integers and rescales by scale * kernel scale. Feeding the
 * float convolution (dequantised kernel) with round(x / scale) * scale gives the same values up
 * to float32 rounding, so {@linkcode runDsCnnHybrid} inserts exactly that before those layers
 * (tf.round rounds halves to even, TFLite away from zero: a tie would differ by one int8 step;
 * the measured difference shows none on the fixture inputs).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import {
  TfliteFlatbufferError,
  type TfliteGraph,
  tfliteTensorValues,
} from "./tflite_flatbuffer.ts";

/** What {@linkcode setDsCnnWeightsFromTflite} set. */
export interface TfliteWeightsOnDsCnn {
  /** Names of our layers whose kernel was int8 in the `.tflite` (their input is quantised). */
  int8Layers: Set<string>;
  /** Layers set, in order (conv / depthwise / dense from the `.tflite`, batch norms as identity). */
  layers: string[];
}

/**
 * Sets the DS-CNN's weights from the `.tflite`'s operators, in execution order: each CONV_2D /
 * DEPTHWISE_CONV_2D / FULLY_CONNECTED fills the next layer with weights (OHWI / 1HWC / [out, in]
 * transposed to TF.js' HWIO / HWC1 / [in, out]); the batch norm after a convolution, folded into
 * it by the converter, becomes the identity (gamma 1, beta 0, mean 0, variance 1 - epsilon).
 *
 * @throws {TfliteFlatbufferError} when the operators do not fill the model's layers one to one
 */
export function setDsCnnWeightsFromTflite(
  model: tfl.LayersModel,
  graph: TfliteGraph,
): TfliteWeightsOnDsCnn {
  const withWeights = model.layers.filter((l) => l.weights.length > 0);
  const int8Layers = new Set<string>();
  const layers: string[] = [];
  let next = 0;
  const take = (what: string) => {
    const layer = withWeights[next++];
    if (!layer) {
      throw new TfliteFlatbufferError(
        `the .tflite has more weighted operators than the DS-CNN has layers (at its ${what})`,
      );
    }
    layers.push(layer.name);
    return layer;
  };
  for (const op of graph.operators) {
    if (!["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"].includes(op.op)) continue;
    const kernel = graph.tensors[op.inputs[1]];
    const bias = graph.tensors[op.inputs[2]];
    const layer = take(`${op.op} "${kernel.name}"`);
    if (kernel.type === "int8") int8Layers.add(layer.name);
    tf.tidy(() => {
      const k = tf.tensor(tfliteTensorValues(kernel), kernel.shape);
      const ours = op.op === "FULLY_CONNECTED" ? tf.transpose(k) : tf.transpose(k, [1, 2, 3, 0]);
      layer.setWeights([ours, tf.tensor(tfliteTensorValues(bias), bias.shape)]);
    });
    if (op.op === "FULLY_CONNECTED") continue;
    const bn = take(`batch norm after "${kernel.name}"`);
    const epsilon = (bn.getConfig() as { epsilon: number }).epsilon;
    const n = bias.shape[0];
    tf.tidy(() =>
      bn.setWeights([tf.ones([n]), tf.zeros([n]), tf.zeros([n]), tf.fill([n], 1 - epsilon)])
    );
  }
  if (next !== withWeights.length) {
    throw new TfliteFlatbufferError(
      `the .tflite filled ${next} of the DS-CNN's ${withWeights.length} layers with weights`,
    );
  }
  return { int8Layers, layers };
}

/** TFLite's per-batch symmetric input quantisation, as float: round(x / s) * s, s = max|x|/127. */
function quantiseInput(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const range = tf.max(tf.abs(x)); // [] (batch 1: one scale)
    const safe = tf.where(tf.greater(range, 0), range, tf.onesLike(range));
    const q = tf.clipByValue(tf.round(tf.mul(x, tf.div(127, safe))), -127, 127);
    return tf.mul(q, tf.div(safe, 127));
  });
}

/**
 * Runs the DS-CNN layer by layer on `x` ([1, 49, 10, 1]; batch 1, the interpreter's input) in
 * inference mode; with `hybrid`, the inputs of `int8Layers` are quantised as TFLite's hybrid
 * CONV_2D does. Returns the [1, 12] probabilities.
 */
export function runDsCnnHybrid(
  model: tfl.LayersModel,
  x: tf.Tensor,
  options: { int8Layers: Set<string>; hybrid?: boolean },
): tf.Tensor {
  return tf.tidy(() => {
    let y = x;
    for (const layer of model.layers) {
      const input = options.hybrid !== false && options.int8Layers.has(layer.name)
        ? quantiseInput(y)
        : y;
      y = layer.apply(input, { training: false }) as tf.Tensor;
    }
    return y;
  });
}
