/**
 * The embedding network: input [B, S, S, 3] float32 RGB in [0, 1] -> embedding [B, embd].
 *
 * Built like arcface-tf2's model, as nested sub-models: `input_image` -> backbone
 * (`resnet50`, `mobilenetv2_1.00_<S>` or `mobilefacenet`) -> `OutputLayer` ("E" structure, for
 * ResNet50 and MobileNetV2 only; MobileFaceNet ends in its own GDC embedding).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { buildMobileFaceNet } from "./mobilefacenet.ts";
import { buildMobileNetV2 } from "./mobilenet_v2.ts";
import { buildOutputLayer } from "./output_layer.ts";
import { buildResNet50 } from "./resnet50.ts";

/** Every backbone name {@linkcode buildEmbeddingModel} accepts. */
export const BACKBONE_NAMES = ["ResNet50", "MobileNetV2", "MobileFaceNet"] as const;

/** A backbone name. */
export type BackboneName = typeof BACKBONE_NAMES[number];

/** Raised for an unknown backbone name or an invalid model option. */
export class ModelConfigError extends Error {
  override name = "ModelConfigError";
}

/** Options of {@linkcode buildEmbeddingModel}. */
export interface EmbeddingModelOptions {
  /** Backbone network (one of {@linkcode BACKBONE_NAMES}). */
  backbone: BackboneName | string;
  /** Square input side in pixels (default 112). */
  inputSize?: number;
  /** Embedding size (default 512; for MobileFaceNet it sets the final linear conv). */
  embdShape?: number;
  /** L2 factor on the output layer's Dense kernel (default 5e-4; unused by MobileFaceNet). */
  wDecay?: number;
  /** Output-layer dropout rate (default 0.5; unused by MobileFaceNet). */
  dropout?: number;
  /** Channel width multiplier: MobileNetV2's alpha or MobileFaceNet's width (default 1.0). */
  width?: number;
  /** Base seed for deterministic weight initialisation (default: random). */
  seed?: number;
}

/** Checks a backbone name, throwing a {@linkcode ModelConfigError} that lists the valid ones. */
export function parseBackboneName(value: string): BackboneName {
  if ((BACKBONE_NAMES as readonly string[]).includes(value)) return value as BackboneName;
  throw new ModelConfigError(
    `Unknown backbone '${value}'. Valid names: ${BACKBONE_NAMES.join(", ")}.`,
  );
}

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new ModelConfigError(`Invalid ${what}: ${String(value)}.`);
}

/**
 * Builds the embedding network [B, S, S, 3] -> [B, embdShape] (see the module doc).
 *
 * @throws {ModelConfigError} for an unknown backbone or an out-of-range option.
 */
export function buildEmbeddingModel(options: EmbeddingModelOptions): tfl.LayersModel {
  const backbone = parseBackboneName(options.backbone);
  const inputSize = options.inputSize ?? 112;
  const embdShape = options.embdShape ?? 512;
  const wDecay = options.wDecay ?? 5e-4;
  const dropout = options.dropout ?? 0.5;
  const width = options.width ?? 1.0;
  check(Number.isInteger(inputSize) && inputSize >= 32, "inputSize (an integer >= 32)", inputSize);
  check(Number.isInteger(embdShape) && embdShape > 0, "embdShape (a positive integer)", embdShape);
  check(Number.isFinite(wDecay) && wDecay >= 0, "wDecay (>= 0)", wDecay);
  check(dropout >= 0 && dropout < 1, "dropout (in [0, 1))", dropout);
  check(Number.isFinite(width) && width > 0, "width (> 0)", width);
  const seed = options.seed;

  const input = tfl.input({ shape: [inputSize, inputSize, 3], name: "input_image" }); // [B, S, S, 3]
  let net: tfl.LayersModel;
  switch (backbone) {
    case "ResNet50":
      net = buildResNet50({ inputSize, seed });
      break;
    case "MobileNetV2":
      net = buildMobileNetV2({ inputSize, alpha: width, seed });
      break;
    case "MobileFaceNet": {
      const mfn = buildMobileFaceNet({ inputSize, embdShape, width, seed });
      const embedding = mfn.apply(input) as tfl.SymbolicTensor; // [B, embd]
      return tfl.model({ inputs: input, outputs: embedding, name: "arcface_MobileFaceNet" });
    }
  }
  const features = net.apply(input) as tfl.SymbolicTensor; // [B, h, w, c], 4x4 at 112
  const head = buildOutputLayer(features.shape.slice(1) as [number, number, number], {
    embdShape,
    wDecay,
    dropout,
    seed: seed === undefined ? undefined : seed + 1,
  });
  const embedding = head.apply(features) as tfl.SymbolicTensor; // [B, embd]
  return tfl.model({ inputs: input, outputs: embedding, name: `arcface_${backbone}` });
}

/**
 * The sum of the model's regularisation terms (arcface-tf2: `wDecay * sum(W^2)` on the output
 * Dense kernel), as a scalar; 0 when it has none. Call it inside the loss function so the
 * gradient reaches the kernel.
 */
export function regularizationLoss(model: tfl.LayersModel): tf.Scalar {
  return tf.tidy(() => {
    const terms = model.calculateLosses(); // [] or scalars
    return terms.length === 0 ? tf.scalar(0) : tf.addN(terms) as tf.Scalar;
  });
}
