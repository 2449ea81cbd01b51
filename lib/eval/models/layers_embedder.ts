/**
 * A tfjs-layers model (model.json + shards on disk, e.g. one saved by this project's training
 * or converted from arcface-tf2) as a {@linkcode FaceEmbedder}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import {
  ALIGNED_SIZE,
  type FaceEmbedder,
  type InputScale,
  ModelLoadError,
  parseInputScale,
  resizeToSquare,
  scaleBytes,
} from "./embedder.ts";
import { isLayersModelJson, readLocalModel } from "./model_files.ts";
import { checkInputShape, probeEmbeddingSize } from "./shape_check.ts";

/** Options of {@linkcode loadLayersEmbedder}. */
export interface LayersEmbedderOptions {
  /** How the net expects its input scaled (default `0-1`, arcface-tf2). */
  inputScale?: InputScale;
  /** Name for reports (default: the file name). */
  name?: string;
}

/** Makes `preprocess` for a square net of side `side`: resize the 112 crop if needed, then scale. */
export function makePreprocess(side: number, scale: InputScale): (rgb: Uint8Array) => Float32Array {
  const n = ALIGNED_SIZE * ALIGNED_SIZE * 3;
  return (rgb) => {
    if (rgb.length !== n) {
      throw new RangeError(`Expected ${n} bytes (112x112 RGB), got ${rgb.length}.`);
    }
    if (side === ALIGNED_SIZE) return scaleBytes(rgb, scale);
    const r = resizeToSquare(rgb, ALIGNED_SIZE, ALIGNED_SIZE, 3, side);
    return scaleBytes(r, scale, r);
  };
}

/** What {@linkcode modelEmbedder} needs of a loaded TF.js model. */
export interface LoadedModel {
  /** Input side in pixels. */
  side: number;
  /** Input scaling the model expects. */
  scale: InputScale;
  /** Embedding size (probed). */
  embeddingSize: number;
  /** [n, side, side, 3] -> [n, embeddingSize]. */
  embed: (batch: tf.Tensor4D) => tf.Tensor2D;
  /** Releases the model. */
  dispose: () => void;
}

/**
 * The {@linkcode FaceEmbedder} of a TF.js model file (layers or graph): RGB input resized to
 * `side` and scaled per `scale`; named by `name` or the file's stem.
 */
export function modelEmbedder(
  modelJsonPath: string,
  model: LoadedModel,
  options: { name?: string } = {},
): FaceEmbedder {
  return {
    name: options.name ?? modelJsonPath.split("/").pop()!.replace(/\.json$/, ""),
    inputSize: model.side,
    embeddingSize: model.embeddingSize,
    channelOrder: "RGB",
    preprocess: makePreprocess(model.side, model.scale),
    embed: model.embed,
    dispose: model.dispose,
  };
}

/** Loads a tfjs-layers model.json from disk as a {@linkcode FaceEmbedder}. */
export async function loadLayersEmbedder(
  modelJsonPath: string,
  options: LayersEmbedderOptions = {},
): Promise<FaceEmbedder> {
  const scale = parseInputScale(options.inputScale);
  const { json, artifacts } = await readLocalModel(modelJsonPath);
  if (!isLayersModelJson(json)) {
    throw new ModelLoadError(
      `'${modelJsonPath}' is not a tfjs layers model (format '${json.format}').`,
    );
  }
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw new ModelLoadError(
      `Cannot build layers model '${modelJsonPath}': ${(e as Error).message}`,
    );
  }
  const what = `layers model '${modelJsonPath}'`;
  try {
    if (model.inputs.length !== 1) {
      throw new ModelLoadError(`${what}: has ${model.inputs.length} inputs; need one image input.`);
    }
    const side = checkInputShape(what, model.inputs[0].shape, undefined);
    const embeddingSize = probeEmbeddingSize(what, side, (x) => model.predict(x));
    return modelEmbedder(modelJsonPath, {
      side,
      scale,
      embeddingSize,
      embed: (batch) => model.predict(batch) as tf.Tensor2D,
      dispose: () => model.dispose(),
    }, { name: options.name });
  } catch (e) {
    model.dispose();
    throw e;
  }
}
