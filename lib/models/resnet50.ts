/**
 * Keras `tf.keras.applications.ResNet50(include_top=False, weights=None)` rebuilt with
 * TF.js layers: the same layer names, order, shapes and hyper-parameters, so weights exported
 * from Keras can be matched layer by layer.
 *
 * Channels-last. At 112x112 input the final map is [B, 4, 4, 2048]; the backbone holds
 * 23,587,712 parameters (23,534,592 trainable + 53,120 BN moving statistics), as in Keras.
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { createSeedSequence, type SeedSequence } from "./seed_sequence.ts";

/** Batch-norm epsilon of Keras' ResNet family (not the Keras default 1e-3). */
export const RESNET_BN_EPSILON = 1.001e-5;
/** Batch-norm momentum (the Keras default). */
export const RESNET_BN_MOMENTUM = 0.99;

/** Options of {@linkcode buildResNet50}. */
export interface ResNet50Options {
  /** Square input side in pixels (default 112). */
  inputSize?: number;
  /** Base seed for deterministic initialisation (default: random). */
  seed?: number;
  /** Model name (default `resnet50`, as in Keras). */
  name?: string;
}

type ST = tfl.SymbolicTensor;

function conv(
  x: ST,
  seeds: SeedSequence,
  cfg: {
    filters: number;
    kernel: number;
    strides?: number;
    padding?: "valid" | "same";
    name: string;
  },
): ST {
  return tfl.layers.conv2d({
    filters: cfg.filters,
    kernelSize: cfg.kernel,
    strides: cfg.strides ?? 1,
    padding: cfg.padding ?? "valid",
    useBias: true, // Keras ResNet50 convolutions keep their bias
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
    name: cfg.name,
  }).apply(x) as ST;
}

function bn(x: ST, name: string): ST {
  return tfl.layers.batchNormalization({
    axis: 3,
    epsilon: RESNET_BN_EPSILON,
    momentum: RESNET_BN_MOMENTUM,
    name,
  }).apply(x) as ST;
}

function relu(x: ST, name: string): ST {
  return tfl.layers.activation({ activation: "relu", name }).apply(x) as ST;
}

/**
 * Keras `block1`: 1x1 -> 3x3 -> 1x1 (x4) bottleneck with an identity or 1x1-conv shortcut.
 * Layers are created in Keras' order (`_0_conv` shortcut first), which gives Keras' layer list.
 */
function block1(
  x: ST,
  seeds: SeedSequence,
  cfg: { filters: number; stride: number; convShortcut: boolean; name: string },
): ST {
  const { filters, stride, name } = cfg;
  let shortcut = x;
  if (cfg.convShortcut) {
    shortcut = conv(x, seeds, {
      filters: 4 * filters,
      kernel: 1,
      strides: stride,
      name: `${name}_0_conv`,
    });
    shortcut = bn(shortcut, `${name}_0_bn`);
  }
  let y = conv(x, seeds, { filters, kernel: 1, strides: stride, name: `${name}_1_conv` });
  y = relu(bn(y, `${name}_1_bn`), `${name}_1_relu`);
  y = conv(y, seeds, { filters, kernel: 3, padding: "same", name: `${name}_2_conv` });
  y = relu(bn(y, `${name}_2_bn`), `${name}_2_relu`);
  y = conv(y, seeds, { filters: 4 * filters, kernel: 1, name: `${name}_3_conv` });
  y = bn(y, `${name}_3_bn`);
  y = tfl.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as ST;
  return relu(y, `${name}_out`);
}

/** Keras `stack1`: `blocks` bottlenecks, the first one strided with a conv shortcut. */
function stack1(
  x: ST,
  seeds: SeedSequence,
  cfg: { filters: number; blocks: number; stride1: number; name: string },
): ST {
  let y = block1(x, seeds, {
    filters: cfg.filters,
    stride: cfg.stride1,
    convShortcut: true,
    name: `${cfg.name}_block1`,
  });
  for (let i = 2; i <= cfg.blocks; i++) {
    y = block1(y, seeds, {
      filters: cfg.filters,
      stride: 1,
      convShortcut: false,
      name: `${cfg.name}_block${i}`,
    });
  }
  return y;
}

/**
 * Applies the ResNet50 feature extractor to a symbolic [B, H, W, 3] input and returns the
 * symbolic [B, H/32, W/32, 2048] map (H = 112 gives 4x4).
 */
export function applyResNet50(
  input: tfl.SymbolicTensor,
  options: { seed?: number } = {},
): tfl.SymbolicTensor {
  const seeds = createSeedSequence(options.seed);
  let x = tfl.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: "conv1_pad" }).apply(
    input,
  ) as ST;
  x = conv(x, seeds, { filters: 64, kernel: 7, strides: 2, name: "conv1_conv" }); // [B, 56, 56, 64]
  x = relu(bn(x, "conv1_bn"), "conv1_relu");
  x = tfl.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: "pool1_pad" }).apply(x) as ST;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: "pool1_pool" }).apply(x) as ST; // [B, 28, 28, 64]
  x = stack1(x, seeds, { filters: 64, blocks: 3, stride1: 1, name: "conv2" }); // [B, 28, 28, 256]
  x = stack1(x, seeds, { filters: 128, blocks: 4, stride1: 2, name: "conv3" }); // [B, 14, 14, 512]
  x = stack1(x, seeds, { filters: 256, blocks: 6, stride1: 2, name: "conv4" }); // [B, 7, 7, 1024]
  x = stack1(x, seeds, { filters: 512, blocks: 3, stride1: 2, name: "conv5" }); // [B, 4, 4, 2048]
  return x;
}

/**
 * Builds the ResNet50 backbone as its own `tf.LayersModel` ([B, S, S, 3] -> [B, S/32, S/32, 2048]),
 * like `tf.keras.applications.ResNet50(include_top=False, weights=None, input_shape=(S, S, 3))`.
 */
export function buildResNet50(options: ResNet50Options = {}): tfl.LayersModel {
  const size = options.inputSize ?? 112;
  const input = tfl.input({ shape: [size, size, 3], name: "input_1" });
  const output = applyResNet50(input, { seed: options.seed });
  return tfl.model({ inputs: input, outputs: output, name: options.name ?? "resnet50" });
}
