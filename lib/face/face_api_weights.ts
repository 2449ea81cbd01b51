/**
 * Reads one of face-api's weight manifests (+ .bin shards) into named tensors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { FACE_API_MODEL_DIR } from "../eval/models/face_api_embedder.ts";
import { readJsonFile, readWeightShards } from "../eval/models/model_files.ts";
import { ModelLoadError } from "../eval/models/embedder.ts";

/** Named weights with a checked getter. */
export interface FaceApiWeights {
  /** The tensor `name`, which must have rank `rank`. */
  get<T extends tf.Tensor>(name: string, rank: number): T;
  /** Disposes every tensor that was read. */
  dispose(): void;
}

/** Loads `<dir>/<model>-weights_manifest.json` (default dir: face-api's `model/`). */
export async function loadFaceApiWeights(
  model: string,
  options: { modelDir?: string } = {},
): Promise<FaceApiWeights> {
  const dir = (options.modelDir ?? FACE_API_MODEL_DIR).replace(/\/$/, "");
  const manifest = await readJsonFile(
    `${dir}/${model}-weights_manifest.json`,
    `face-api ${model} weights manifest`,
  ) as tf.io.WeightsManifestConfig;
  const { weightSpecs, weightData } = await readWeightShards(manifest, dir);
  const weights = tf.io.decodeWeights(weightData, weightSpecs);
  return {
    get<T extends tf.Tensor>(name: string, rank: number): T {
      const t = weights[name];
      if (!t || t.rank !== rank) {
        throw new ModelLoadError(
          `face-api ${model}: weight '${name}' missing or not rank ${rank} in ${dir}; ` +
            "reinstall @vladmandic/face-api 1.7.15 (npm ci).",
        );
      }
      return t as T;
    },
    dispose() {
      for (const t of Object.values(weights)) t.dispose();
    },
  };
}
