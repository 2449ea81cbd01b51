/**
 * arcface-tf2's "E" output layer, which turns a backbone's final feature map into the embedding:
 * BatchNormalization -> Dropout -> Flatten -> Dense(embd, L2 kernel regulariser) -> BatchNormalization.
 *
 * Both BNs use the Keras defaults (momentum 0.99, epsilon 1e-3) and, like every TF.js BN,
 * update their moving statistics only when called with `training: true`. The embedding is the last
 * BN's output: it is not L2-normalised here (the head or the evaluation normalises it).
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { createSeedSequence } from "./seed_sequence.ts";

/** Options of {@linkcode buildOutputLayer}. */
export interface OutputLayerOptions {
  /** Embedding size (default 512). */
  embdShape?: number;
  /** L2 factor on the Dense kernel: adds `wDecay * sum(kernel^2)` to the model's losses (default 5e-4). */
  wDecay?: number;
  /** Dropout rate (default 0.5). */
  dropout?: number;
  /** Base seed for deterministic weight initialisation (default: random; dropout stays random). */
  seed?: number;
  /** Model name (default `OutputLayer`, as in arcface-tf2). */
  name?: string;
}

/**
 * Applies the "E" output layer to a symbolic [B, h, w, c] feature map and returns the symbolic
 * [B, embdShape] embedding. Layer names are `<prefix>bn`, `<prefix>dropout`, `<prefix>flatten`,
 * `<prefix>dense`, `<prefix>embedding` (prefix empty by default).
 */
export function applyOutputLayer(
  features: tfl.SymbolicTensor,
  options: Omit<OutputLayerOptions, "name"> & { prefix?: string } = {},
): tfl.SymbolicTensor {
  const seeds = createSeedSequence(options.seed);
  const p = options.prefix ?? "";
  const wDecay = options.wDecay ?? 5e-4;
  let x = tfl.layers.batchNormalization({ axis: -1, name: `${p}bn` }).apply(
    features,
  ) as tfl.SymbolicTensor;
  // No seed here: TF.js re-uses a dropout seed on every call, which would freeze the mask.
  x = tfl.layers.dropout({ rate: options.dropout ?? 0.5, name: `${p}dropout` })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten({ name: `${p}flatten` }).apply(x) as tfl.SymbolicTensor; // [B, h * w * c]
  x = tfl.layers.dense({
    units: options.embdShape ?? 512,
    useBias: true,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    kernelRegularizer: wDecay > 0 ? tfl.regularizers.l2({ l2: wDecay }) : undefined,
    name: `${p}dense`,
  }).apply(x) as tfl.SymbolicTensor; // [B, embd]
  return tfl.layers.batchNormalization({ axis: -1, name: `${p}embedding` })
    .apply(x) as tfl.SymbolicTensor; // [B, embd]
}

/**
 * Builds the "E" output layer as its own `tf.LayersModel` ([B, h, w, c] -> [B, embdShape]),
 * like arcface-tf2's `OutputLayer` sub-model.
 */
export function buildOutputLayer(
  featureShape: [number, number, number],
  options: OutputLayerOptions = {},
): tfl.LayersModel {
  const input = tfl.input({ shape: featureShape, name: "features" });
  const output = applyOutputLayer(input, options);
  return tfl.model({ inputs: input, outputs: output, name: options.name ?? "OutputLayer" });
}
