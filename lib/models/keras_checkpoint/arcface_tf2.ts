/**
 * arcface-tf2's `ArcFaceModel` checkpoint layout on our embedding model (`buildEmbeddingModel`:
 * `input_image` -> backbone -> `OutputLayer`, the same nesting and Keras layer order) and head:
 *
 * - `layer_with_weights-0/...`: the backbone (Keras ResNet50 or MobileNetV2), a nested model;
 * - `layer_with_weights-1/...`: the "E" output layer (BN, Dense [h*w*c, embd], BN);
 * - `layer_with_weights-2/layer_with_weights-0/weights`: the ArcHead's W [embd, classes] (only in
 *   checkpoints saved with `training=True`; ArcHead is a model holding one margin layer).
 *
 * The architecture is read off the variable shapes ({@linkcode inferArcFaceTf2Architecture}), so
 * a checkpoint alone is enough to rebuild and load the model.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import type { TfCheckpoint } from "../../data/tf_checkpoint/mod.ts";
import { type KerasMappingPlan, planKerasMapping } from "./keras_mapping.ts";
import { kerasWeightPaths, type KerasWeightTarget } from "./keras_paths.ts";
import { loadKerasWeights } from "./load_keras_weights.ts";
import { makeDivisible } from "../mobilenet_v2.ts";

/** Keras' MobileNetV2 widths (alpha) that the checkpoint's shapes are matched against. */
const MOBILENET_V2_ALPHAS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];

/** Object path prefix of the ArcHead in an arcface-tf2 checkpoint. */
export const ARCFACE_TF2_HEAD_PREFIX = "layer_with_weights-2/";
/** Object path of the ArcHead's W [embd, classes]. */
export const ARCFACE_TF2_HEAD_PATH = `${ARCFACE_TF2_HEAD_PREFIX}layer_with_weights-0/weights`;
/** Object path of the first backbone kernel (ResNet50 [7, 7, 3, 64], MobileNetV2 [3, 3, 3, 32a]). */
const FIRST_KERNEL = "layer_with_weights-0/layer_with_weights-0/kernel";
/** Object path of the "E" layer's Dense kernel [h * w * c, embd]. */
const DENSE_KERNEL = "layer_with_weights-1/layer_with_weights-1/kernel";

/** Raised when a checkpoint is not an arcface-tf2 ArcFaceModel of a backbone we build. */
export class ArcFaceTf2LayoutError extends Error {
  override name = "ArcFaceTf2LayoutError";
}

/** What an arcface-tf2 checkpoint's shapes say about the model it was saved from. */
export interface ArcFaceTf2Architecture {
  /** `ResNet50` or `MobileNetV2`. */
  backbone: "ResNet50" | "MobileNetV2";
  /** Embedding size (the Dense kernel's columns). */
  embdShape: number;
  /** MobileNetV2's alpha (1 for ResNet50). */
  width: number;
  /** Input side (the smallest multiple of 32 whose final map fits the Dense kernel's rows). */
  inputSize: number;
  /** Classes of the ArcHead, or undefined when the checkpoint has none. */
  numClasses?: number;
}

/**
 * Throws {@linkcode ArcFaceTf2LayoutError} when `backbone` (e.g. eval's `--backbone`) is not the
 * backbone `ckpt`'s shapes say it holds: such a mapping can only fail, so say it before any work.
 * Returns the architecture.
 */
export function checkArcFaceTf2Backbone(
  ckpt: TfCheckpoint,
  backbone?: string,
): ArcFaceTf2Architecture {
  const arch = inferArcFaceTf2Architecture(ckpt);
  if (backbone !== undefined && backbone !== arch.backbone) {
    throw new ArcFaceTf2LayoutError(
      `Checkpoint ${ckpt.prefix} holds a ${arch.backbone} backbone (its first convolution ` +
        `'${FIRST_KERNEL}' is [${shapeOf(ckpt, FIRST_KERNEL)!.join(", ")}]), not the ` +
        `${backbone} asked for: leave the backbone out (the shapes decide) or give a ` +
        `${backbone} checkpoint.`,
    );
  }
  return arch;
}

/** A head as the layout needs it: its W [embd, classes]. */
export interface ArcFaceTf2Head {
  readonly w: tf.Variable;
}

/** A checkpoint target for a head's W (for {@linkcode loadKerasWeights}' `extra`). */
export function arcHeadTarget(head: ArcFaceTf2Head): KerasWeightTarget {
  return {
    path: ARCFACE_TF2_HEAD_PATH,
    owner: "ArcHead/weights",
    shape: [...head.w.shape],
    read: () => head.w,
    write: (value) => head.w.assign(value),
  };
}

function shapeOf(ckpt: TfCheckpoint, path: string): number[] | undefined {
  return ckpt.variables.find((v) => v.path === path && v.kind === "model")?.entry.shape;
}

/**
 * Reads backbone, embedding size, width and input size off the checkpoint's shapes.
 *
 * @throws {ArcFaceTf2LayoutError} when the first kernel or the Dense kernel is absent or fits
 *   no backbone we build
 */
export function inferArcFaceTf2Architecture(ckpt: TfCheckpoint): ArcFaceTf2Architecture {
  const first = shapeOf(ckpt, FIRST_KERNEL);
  const dense = shapeOf(ckpt, DENSE_KERNEL);
  if (!first || !dense) {
    throw new ArcFaceTf2LayoutError(
      `Checkpoint ${ckpt.prefix} is not an arcface-tf2 ArcFaceModel: it has no ` +
        `'${first ? DENSE_KERNEL : FIRST_KERNEL}' (the ${
          first ? "output layer's Dense kernel" : "backbone's first convolution"
        }). Expected a checkpoint written by arcface-tf2's model.save_weights (or export-ckpt).`,
    );
  }
  let backbone: ArcFaceTf2Architecture["backbone"];
  let width = 1;
  let channels: number;
  if (first.join() === "7,7,3,64") {
    backbone = "ResNet50";
    channels = 2048;
  } else if (first.length === 4 && first[0] === 3 && first[1] === 3 && first[2] === 3) {
    backbone = "MobileNetV2";
    // Conv1 has makeDivisible(32 alpha) filters, Conv_1 (the last kernel) takes
    // makeDivisible(320 alpha) channels and gives 1280 (more when alpha > 1): Keras' alphas
    // differ in that pair.
    const last = shapeOf(ckpt, lastMobileNetKernel(ckpt)) ?? [];
    const alpha = MOBILENET_V2_ALPHAS.find((a) =>
      makeDivisible(32 * a, 8) === first[3] && makeDivisible(Math.trunc(320 * a), 8) === last[2]
    );
    if (alpha === undefined) {
      throw new ArcFaceTf2LayoutError(
        `Checkpoint ${ckpt.prefix}: a MobileNetV2 with Conv1 [${first}] and Conv_1 [${last}] ` +
          `fits none of the widths ${MOBILENET_V2_ALPHAS.join(", ")}.`,
      );
    }
    width = alpha;
    channels = last[3];
  } else {
    throw new ArcFaceTf2LayoutError(
      `Checkpoint ${ckpt.prefix}: the backbone's first kernel is [${first}], neither ` +
        `ResNet50's [7,7,3,64] nor MobileNetV2's [3,3,3,32*alpha]; pass --backbone if it is one.`,
    );
  }
  const cells = dense[0] / channels; // h * w of the final map
  const side = Math.round(Math.sqrt(cells));
  if (!Number.isInteger(cells) || side * side !== cells) {
    throw new ArcFaceTf2LayoutError(
      `Checkpoint ${ckpt.prefix}: the Dense kernel [${dense}] does not flatten a square ` +
        `${backbone} map of ${channels} channels.`,
    );
  }
  const head = shapeOf(ckpt, ARCFACE_TF2_HEAD_PATH);
  return {
    backbone,
    embdShape: dense[1],
    width,
    inputSize: side === 4 ? 112 : side * 32, // 112 is the arcface-tf2 size that gives 4x4
    numClasses: head?.[1],
  };
}

function lastMobileNetKernel(ckpt: TfCheckpoint): string {
  // The backbone's last weighted layers are Conv_1 then Conv_1_bn: the last kernel under it.
  const kernels = ckpt.variables
    .filter((v) => /^layer_with_weights-0\/layer_with_weights-\d+\/kernel$/.test(v.path))
    .map((v) => v.path);
  const n = (p: string) => Number(p.split("/")[1].split("-")[1]);
  kernels.sort((a, b) => n(a) - n(b));
  return kernels[kernels.length - 1] ?? FIRST_KERNEL;
}

/** Options of {@linkcode planArcFaceTf2} and {@linkcode loadArcFaceTf2}. */
export interface ArcFaceTf2Options {
  /** Also map the head: a head object (to load into), or just its W's shape (plan only). */
  head?: ArcFaceTf2Head | { shape: [number, number] };
}

function headTargets(head: ArcFaceTf2Options["head"]): KerasWeightTarget[] {
  if (!head) return [];
  if ("w" in head) return [arcHeadTarget(head)];
  return [{
    path: ARCFACE_TF2_HEAD_PATH,
    owner: "ArcHead/weights",
    shape: [...head.shape],
    read: () => {
      throw new ArcFaceTf2LayoutError("A shape-only head target has no value.");
    },
    write: () => {
      throw new ArcFaceTf2LayoutError("A shape-only head target cannot be set.");
    },
  }];
}

/**
 * The mapping of `ckpt` onto `model` (our embedding model) and, if given, the head, on the index
 * alone (no weight read). Without a head the checkpoint's head is ignored, not a left-over.
 */
export function planArcFaceTf2(
  model: tfl.LayersModel,
  ckpt: TfCheckpoint,
  options: ArcFaceTf2Options = {},
): KerasMappingPlan {
  const targets = [...kerasWeightPaths(model), ...headTargets(options.head)];
  return planKerasMapping(targets, ckpt, {
    ignore: options.head ? [] : [ARCFACE_TF2_HEAD_PREFIX],
  });
}

/**
 * Loads an arcface-tf2 checkpoint into our embedding model (and head, if given), strictly: every
 * variable of the embedding model (and head) used once, every weight set once.
 *
 * @throws {KerasCheckpointMismatchError} naming what does not fit
 * @throws {KerasWeightLoadError} naming a missing data shard
 */
export async function loadArcFaceTf2(
  model: tfl.LayersModel,
  ckpt: TfCheckpoint,
  options: ArcFaceTf2Options & { onProgress?: (done: number, total: number) => void } = {},
): Promise<KerasMappingPlan> {
  if (options.head && !("w" in options.head)) {
    throw new ArcFaceTf2LayoutError("loadArcFaceTf2 needs a head object (with w) to load into.");
  }
  return await loadKerasWeights(model, ckpt, {
    extra: headTargets(options.head),
    ignore: options.head ? [] : [ARCFACE_TF2_HEAD_PREFIX],
    onProgress: options.onProgress,
  });
}
