/**
 * One entry point for every evaluated model: `face-api`, a path to a tfjs model.json
 * (layers or graph, told apart by the JSON's `format` / `modelTopology`), or a TensorFlow 2
 * checkpoint of arcface-tf2's model (`x.ckpt`, a folder with TF's `checkpoint` file, a SavedModel
 * folder).
 *
 * @module
 */
import { isTfCheckpointSpec, loadCheckpointEmbedder } from "./checkpoint_embedder.ts";
import { type FaceEmbedder, type InputScale, ModelLoadError } from "./embedder.ts";
import { loadFaceApiEmbedder } from "./face_api_embedder.ts";
import { loadGraphEmbedder } from "./graph_embedder.ts";
import { loadLayersEmbedder } from "./layers_embedder.ts";
import { isLayersModelJson, readJsonFile } from "./model_files.ts";

/** Options of {@linkcode loadEmbedder} (each loader uses those that apply to it). */
export interface LoadEmbedderOptions {
  /** Input scale for model.json models (default `0-1`); face-api ignores it. */
  inputScale?: InputScale;
  /** Square side for graph models whose input size is not fixed. */
  inputSize?: number;
  /** Output node of a graph model with several outputs. */
  outputName?: string;
  /** face-api's weight folder (default: node_modules). */
  modelDir?: string;
  /** Name for reports. */
  name?: string;
  /** Backbone of a TF checkpoint (default: read off its variable shapes). */
  backbone?: string;
}

/** Specs that name a built-in model rather than a path. */
export const BUILTIN_MODELS = ["face-api"] as const;

/**
 * Loads `spec` ('face-api', a model.json path or a TF checkpoint) as a {@linkcode FaceEmbedder}.
 */
export async function loadEmbedder(
  spec: string,
  options: LoadEmbedderOptions = {},
): Promise<FaceEmbedder> {
  if (spec === "face-api") return await loadFaceApiEmbedder({ modelDir: options.modelDir });
  if (!spec.endsWith(".json")) {
    if (await isTfCheckpointSpec(spec)) return await loadCheckpointEmbedder(spec, options);
    throw new ModelLoadError(
      `Unknown model '${spec}': give one of ${
        BUILTIN_MODELS.join(", ")
      }, a path to a tfjs model.json or a TF checkpoint (x.ckpt, its folder, a SavedModel).`,
    );
  }
  const json = await readJsonFile(spec, "model JSON");
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ModelLoadError(`model JSON '${spec}' is not an object.`);
  }
  if (!("modelTopology" in json)) {
    throw new ModelLoadError(
      `'${spec}' is not a tfjs model.json: it has no 'modelTopology' field.`,
    );
  }
  return isLayersModelJson(json as Record<string, unknown>)
    ? await loadLayersEmbedder(spec, options)
    : await loadGraphEmbedder(spec, options);
}
