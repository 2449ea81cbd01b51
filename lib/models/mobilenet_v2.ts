/**
 * Keras `tf.keras.applications.MobileNetV2(alpha=1.0, include_top=False, weights=None)` rebuilt
 * with TF.js layers: the same layer names (`Conv1`, `bn_Conv1`, `Conv1_relu`,
 * `expanded_conv_depthwise`, `block_1_expand`, ..., `Conv_1`, `Conv_1_bn`, `out_relu`), order,
 * shapes and hyper-parameters (BN epsilon 1e-3, momentum 0.999, ReLU6, explicit
 * `correct_pad` zero padding before every stride-2 depthwise conv).
 *
 * The stem follows current Keras (TF >= 2.2): `Conv1` is a stride-2 conv with `same` padding and
 * no `Conv1_pad` layer. Older keras_applications (TF 2.0/2.1) padded with `correct_pad` and used a
 * `valid` conv instead; for even input sizes such as 112 both pad one pixel at the bottom/right
 * only, so outputs and weights are interchangeable.
 *
 * Channels-last. At 112x112 input the final map is [B, 4, 4, 1280]; alpha = 1.0 holds
 * 2,257,984 parameters (2,223,872 trainable + 34,112 BN moving statistics), as in Keras.
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { createSeedSequence, type SeedSequence } from "./seed_sequence.ts";

/** Batch-norm epsilon of Keras' MobileNetV2. */
export const MOBILENET_V2_BN_EPSILON = 1e-3;
/** Batch-norm momentum of Keras' MobileNetV2. */
export const MOBILENET_V2_BN_MOMENTUM = 0.999;

/** Options of {@linkcode buildMobileNetV2}. */
export interface MobileNetV2Options {
  /** Square input side in pixels (default 112). */
  inputSize?: number;
  /** Width multiplier `alpha` (default 1.0). */
  alpha?: number;
  /** Base seed for deterministic initialisation (default: random). */
  seed?: number;
  /** Model name (default `mobilenetv2_<alpha>_<inputSize>`, as Keras names it). */
  name?: string;
}

type ST = tfl.SymbolicTensor;

/** Keras `_make_divisible`: round to the nearest multiple of `divisor`, never below 90 %. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(
    divisor,
    Math.floor(Math.trunc(value + divisor / 2) / divisor) * divisor,
  );
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Keras `correct_pad` for a square kernel: ((top, bottom), (left, right)) for a stride-2 conv. */
export function correctPad(
  height: number,
  width: number,
  kernel = 3,
): [[number, number], [number, number]] {
  const half = Math.floor(kernel / 2);
  return [[half - (1 - (height % 2)), half], [half - (1 - (width % 2)), half]];
}

function bn(x: ST, name: string): ST {
  return tfl.layers.batchNormalization({
    axis: 3,
    epsilon: MOBILENET_V2_BN_EPSILON,
    momentum: MOBILENET_V2_BN_MOMENTUM,
    name,
  }).apply(x) as ST;
}

function relu6(x: ST, name: string): ST {
  return tfl.layers.reLU({ maxValue: 6, name }).apply(x) as ST;
}

function pointwise(x: ST, seeds: SeedSequence, filters: number, name: string): ST {
  return tfl.layers.conv2d({
    filters,
    kernelSize: 1,
    padding: "same",
    useBias: false,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name,
  }).apply(x) as ST;
}

/** Keras `_inverted_res_block`: expand (1x1) -> depthwise 3x3 -> linear project (1x1) [+ add]. */
function invertedResBlock(
  inputs: ST,
  seeds: SeedSequence,
  cfg: { filters: number; alpha: number; stride: number; expansion: number; blockId: number },
): ST {
  const inChannels = inputs.shape[3] as number;
  const pointwiseFilters = makeDivisible(Math.trunc(cfg.filters * cfg.alpha), 8);
  let x = inputs;
  let prefix = `block_${cfg.blockId}_`;
  if (cfg.blockId) {
    x = pointwise(x, seeds, cfg.expansion * inChannels, `${prefix}expand`);
    x = relu6(bn(x, `${prefix}expand_BN`), `${prefix}expand_relu`);
  } else {
    prefix = "expanded_conv_";
  }
  if (cfg.stride === 2) {
    const pad = correctPad(x.shape[1] as number, x.shape[2] as number, 3);
    x = tfl.layers.zeroPadding2d({ padding: pad, name: `${prefix}pad` }).apply(x) as ST;
  }
  x = tfl.layers.depthwiseConv2d({
    kernelSize: 3,
    strides: cfg.stride,
    useBias: false,
    padding: cfg.stride === 1 ? "same" : "valid",
    depthwiseInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name: `${prefix}depthwise`,
  }).apply(x) as ST;
  x = relu6(bn(x, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
  x = pointwise(x, seeds, pointwiseFilters, `${prefix}project`);
  x = bn(x, `${prefix}project_BN`); // linear bottleneck: no activation
  if (inChannels === pointwiseFilters && cfg.stride === 1) {
    return tfl.layers.add({ name: `${prefix}add` }).apply([inputs, x]) as ST;
  }
  return x;
}

/** (filters, stride, expansion) of blocks 0..16, as in Keras. */
const BLOCKS: readonly [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

/**
 * Applies the MobileNetV2 feature extractor to a symbolic [B, H, W, 3] input and returns the
 * symbolic [B, H/32, W/32, 1280] map (rounded up; H = 112 gives 4x4).
 */
export function applyMobileNetV2(
  input: tfl.SymbolicTensor,
  options: { alpha?: number; seed?: number } = {},
): tfl.SymbolicTensor {
  const alpha = options.alpha ?? 1.0;
  const seeds = createSeedSequence(options.seed);
  let x = tfl.layers.conv2d({
    filters: makeDivisible(32 * alpha, 8),
    kernelSize: 3,
    strides: 2,
    padding: "same",
    useBias: false,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name: "Conv1",
  }).apply(input) as ST; // [B, 56, 56, 32]
  x = relu6(bn(x, "bn_Conv1"), "Conv1_relu");
  BLOCKS.forEach(([filters, stride, expansion], blockId) => {
    x = invertedResBlock(x, seeds, { filters, alpha, stride, expansion, blockId });
  }); // [B, 4, 4, 320]
  const lastFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = tfl.layers.conv2d({
    filters: lastFilters,
    kernelSize: 1,
    useBias: false,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name: "Conv_1",
  }).apply(x) as ST; // [B, 4, 4, 1280]
  x = bn(x, "Conv_1_bn");
  return relu6(x, "out_relu");
}

/**
 * Builds the MobileNetV2 backbone as its own `tf.LayersModel`
 * ([B, S, S, 3] -> [B, ceil(S/32), ceil(S/32), 1280]).
 */
export function buildMobileNetV2(options: MobileNetV2Options = {}): tfl.LayersModel {
  const size = options.inputSize ?? 112;
  const alpha = options.alpha ?? 1.0;
  const input = tfl.input({ shape: [size, size, 3], name: "input_1" });
  const output = applyMobileNetV2(input, { alpha, seed: options.seed });
  const name = options.name ?? `mobilenetv2_${alpha.toFixed(2)}_${size}`;
  return tfl.model({ inputs: input, outputs: output, name });
}
