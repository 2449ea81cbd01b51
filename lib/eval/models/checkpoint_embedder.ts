/**
 * A TensorFlow 2 checkpoint of arcface-tf2's `ArcFaceModel` (`e_8_b_40000.ckpt`, a folder with
 * TF's `checkpoint` file, a SavedModel folder with `variables/`, or one written by
 * `deno task export-ckpt`) as a {@linkcode FaceEmbedder}: the architecture is read off the
 * variable shapes (or forced with `backbone`), our embedding model is built and every variable
 * of the backbone and the "E" output layer is loaded one to one (the head is not needed).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { openCheckpoint } from "../../data/tf_checkpoint/mod.ts";
import { buildEmbeddingModel, parseBackboneName } from "../../models/mod.ts";
import {
  inferArcFaceTf2Architecture,
  loadArcFaceTf2,
} from "../../models/keras_checkpoint/arcface_tf2.ts";
import { type FaceEmbedder, type InputScale, parseInputScale } from "./embedder.ts";
import { modelEmbedder } from "./layers_embedder.ts";

/** Options of {@linkcode loadCheckpointEmbedder}. */
export interface CheckpointEmbedderOptions {
  /** Backbone (`ResNet50` / `MobileNetV2`) when the shapes should not decide it. */
  backbone?: string;
  /** Input scale (default `0-1`, arcface-tf2's x/255). */
  inputScale?: InputScale;
  /** Name for reports (default: the checkpoint's file name). */
  name?: string;
}

/**
 * True when `spec` looks like a TF checkpoint: `x.ckpt`, `x.index`, one of its data files
 * (`x.data-0000K-of-0000N`), or a folder.
 */
export async function isTfCheckpointSpec(spec: string): Promise<boolean> {
  if (spec.endsWith(".json") || spec === "face-api") return false;
  if (spec.endsWith(".index") || spec.endsWith(".ckpt")) return true;
  if (/\.data-\d{5}-of-\d{5}$/.test(spec)) return true;
  const exists = async (p: string) => {
    try {
      await Deno.stat(p);
      return true;
    } catch {
      return false;
    }
  };
  if (await exists(`${spec}.index`)) return true;
  return await exists(`${spec}/checkpoint`) || await exists(`${spec}/variables/variables.index`);
}

/**
 * Loads an arcface-tf2 checkpoint as a {@linkcode FaceEmbedder} (RGB, `0-1` input).
 *
 * @throws the reader's `TfCheckpointError` (files missing, truncated, CRC), an
 *   `ArcFaceTf2LayoutError` (not an ArcFaceModel), a `KerasCheckpointMismatchError` (another
 *   architecture) or a `KerasWeightLoadError` (a data shard missing)
 */
export async function loadCheckpointEmbedder(
  spec: string,
  options: CheckpointEmbedderOptions = {},
): Promise<FaceEmbedder> {
  const scale = parseInputScale(options.inputScale);
  const ckpt = await openCheckpoint(spec);
  const arch = inferArcFaceTf2Architecture(ckpt);
  const backbone = options.backbone ? parseBackboneName(options.backbone) : arch.backbone;
  const model = buildEmbeddingModel({
    backbone,
    embdShape: arch.embdShape,
    inputSize: arch.inputSize,
    width: arch.width,
    wDecay: 0,
  });
  try {
    await loadArcFaceTf2(model, ckpt);
    const name = options.name ?? ckpt.prefix.split("/").pop()!;
    return modelEmbedder(ckpt.prefix, {
      side: arch.inputSize,
      scale,
      embeddingSize: arch.embdShape,
      embed: (batch) => model.predict(batch) as tf.Tensor2D,
      dispose: () => model.dispose(),
    }, { name });
  } catch (e) {
    model.dispose();
    throw e;
  }
}
