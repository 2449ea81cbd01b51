/**
 * MobileFaceNet (Chen et al., 2018, "MobileFaceNets: Efficient CNNs for Accurate Real-Time Face
 * Verification on Mobile Devices"), built with TF.js layers, channels-last.
 *
 * conv 3x3/2 (64) -> depthwise 3x3 (64) -> bottlenecks (t, c, n, s) = (2,64,5,2), (4,128,1,2),
 * (2,128,6,1), (4,128,1,2), (2,128,2,1) -> conv 1x1 (512) -> linear GDC (7x7 depthwise, valid)
 * -> linear conv 1x1 (embedding size) -> BN -> flatten.
 *
 * Every conv has no bias and is followed by BN (Keras defaults: momentum 0.99, epsilon 1e-3);
 * non-linear layers use PReLU with one slope per channel (shared over the spatial axes,
 * initialised to 0.25 as in the PyTorch/MXNet references). Bottlenecks are the MobileNetV2
 * inverted residuals (linear projection, identity shortcut when stride is 1 and channels match).
 * The network's output is the embedding itself (no separate output layer). With the default
 * 128-d embedding it holds 1,003,136 trainable parameters (the paper quotes 0.99 M) and
 * 1,022,720 in all, counting the BN moving statistics.
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { makeDivisible } from "./mobilenet_v2.ts";
import { createSeedSequence, type SeedSequence } from "./seed_sequence.ts";

/** Options of {@linkcode buildMobileFaceNet}. */
export interface MobileFaceNetOptions {
  /** Square input side in pixels (default 112; the GDC kernel follows the final map size). */
  inputSize?: number;
  /** Embedding size: channels of the final linear 1x1 conv (default 128). */
  embdShape?: number;
  /**
   * Channel width multiplier (default 1.0). Every channel count except the embedding is
   * scaled and rounded to a multiple of 8 (e.g. 0.5 gives a half-width net for CPU experiments).
   */
  width?: number;
  /** Base seed for deterministic initialisation (default: random). */
  seed?: number;
  /** Model name (default `mobilefacenet`). */
  name?: string;
}

/** The bottleneck settings (expansion t, output channels c, repeats n, first stride s). */
export const MOBILEFACENET_BOTTLENECKS: readonly { t: number; c: number; n: number; s: number }[] =
  [
    { t: 2, c: 64, n: 5, s: 2 },
    { t: 4, c: 128, n: 1, s: 2 },
    { t: 2, c: 128, n: 6, s: 1 },
    { t: 4, c: 128, n: 1, s: 2 },
    { t: 2, c: 128, n: 2, s: 1 },
  ];

type ST = tfl.SymbolicTensor;

function bn(x: ST, name: string): ST {
  return tfl.layers.batchNormalization({ axis: 3, name }).apply(x) as ST;
}

function prelu(x: ST, name: string): ST {
  return tfl.layers.prelu({
    sharedAxes: [1, 2],
    alphaInitializer: tfl.initializers.constant({ value: 0.25 }),
    name,
  }).apply(x) as ST;
}

/** conv (no bias) -> BN [-> PReLU]. */
function convBlock(
  x: ST,
  seeds: SeedSequence,
  cfg: { filters: number; kernel: number; strides?: number; linear?: boolean; name: string },
): ST {
  let y = tfl.layers.conv2d({
    filters: cfg.filters,
    kernelSize: cfg.kernel,
    strides: cfg.strides ?? 1,
    padding: "same",
    useBias: false,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name: cfg.name,
  }).apply(x) as ST;
  y = bn(y, `${cfg.name}_bn`);
  return cfg.linear ? y : prelu(y, `${cfg.name}_prelu`);
}

/** depthwise conv (no bias) -> BN [-> PReLU]. */
function depthwiseBlock(
  x: ST,
  seeds: SeedSequence,
  cfg: {
    kernel: number | [number, number];
    strides?: number;
    padding?: "same" | "valid";
    linear?: boolean;
    name: string;
  },
): ST {
  let y = tfl.layers.depthwiseConv2d({
    kernelSize: cfg.kernel,
    strides: cfg.strides ?? 1,
    padding: cfg.padding ?? "same",
    useBias: false,
    depthwiseInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name: cfg.name,
  }).apply(x) as ST;
  y = bn(y, `${cfg.name}_bn`);
  return cfg.linear ? y : prelu(y, `${cfg.name}_prelu`);
}

/** Inverted residual: expand 1x1 -> depthwise 3x3 (stride) -> linear project 1x1 [+ identity]. */
function bottleneck(
  x: ST,
  seeds: SeedSequence,
  cfg: { expansion: number; filters: number; stride: number; name: string },
): ST {
  const inChannels = x.shape[3] as number;
  let y = convBlock(x, seeds, {
    filters: inChannels * cfg.expansion,
    kernel: 1,
    name: `${cfg.name}_expand`,
  });
  y = depthwiseBlock(y, seeds, { kernel: 3, strides: cfg.stride, name: `${cfg.name}_dw` });
  y = convBlock(y, seeds, {
    filters: cfg.filters,
    kernel: 1,
    linear: true,
    name: `${cfg.name}_project`,
  });
  if (cfg.stride === 1 && inChannels === cfg.filters) {
    y = tfl.layers.add({ name: `${cfg.name}_add` }).apply([x, y]) as ST;
  }
  return y;
}

/**
 * Applies MobileFaceNet to a symbolic [B, H, W, 3] input and returns the symbolic
 * [B, embdShape] embedding (the final BN's output, not L2-normalised).
 */
export function applyMobileFaceNet(
  input: tfl.SymbolicTensor,
  options: { embdShape?: number; width?: number; seed?: number } = {},
): tfl.SymbolicTensor {
  const width = options.width ?? 1.0;
  const embdShape = options.embdShape ?? 128;
  const ch = (c: number) => makeDivisible(c * width, 8);
  const seeds = createSeedSequence(options.seed);

  let x = convBlock(input, seeds, { filters: ch(64), kernel: 3, strides: 2, name: "conv1" }); // [B, 56, 56, 64]
  x = depthwiseBlock(x, seeds, { kernel: 3, name: "conv2_dw" }); // [B, 56, 56, 64]
  let stage = 0;
  for (const { t, c, n, s } of MOBILEFACENET_BOTTLENECKS) {
    stage++;
    for (let i = 0; i < n; i++) {
      x = bottleneck(x, seeds, {
        expansion: t,
        filters: ch(c),
        stride: i === 0 ? s : 1,
        name: `stage${stage}_block${i + 1}`,
      });
    }
  } // [B, 7, 7, 128]
  x = convBlock(x, seeds, { filters: ch(512), kernel: 1, name: "conv_sep" }); // [B, 7, 7, 512]
  // Global depthwise conv: one k x k filter per channel over the whole final map (k = 7 at 112).
  const kernel: [number, number] = [x.shape[1] as number, x.shape[2] as number];
  x = depthwiseBlock(x, seeds, { kernel, padding: "valid", linear: true, name: "gdc_dw" }); // [B, 1, 1, 512]
  x = convBlock(x, seeds, { filters: embdShape, kernel: 1, linear: true, name: "embedding_conv" }); // [B, 1, 1, embd]
  return tfl.layers.flatten({ name: "embedding" }).apply(x) as ST; // [B, embd]
}

/** Builds MobileFaceNet as a `tf.LayersModel` ([B, S, S, 3] -> [B, embdShape]). */
export function buildMobileFaceNet(options: MobileFaceNetOptions = {}): tfl.LayersModel {
  const size = options.inputSize ?? 112;
  const input = tfl.input({ shape: [size, size, 3], name: "input_1" });
  const output = applyMobileFaceNet(input, options);
  return tfl.model({ inputs: input, outputs: output, name: options.name ?? "mobilefacenet" });
}
