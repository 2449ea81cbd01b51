/**
 * A tfjs graph model (converted TF SavedModel/frozen graph: model.json + shards on disk) as a
 * {@linkcode FaceEmbedder}. The graph must run synchronously (no control-flow ops).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { type FaceEmbedder, type InputScale, ModelLoadError, parseInputScale } from "./embedder.ts";
import { modelEmbedder } from "./layers_embedder.ts";
import { isLayersModelJson, readLocalModel } from "./model_files.ts";
import { checkInputShape, probeEmbeddingSize } from "./shape_check.ts";

/** Options of {@linkcode loadGraphEmbedder}. */
export interface GraphEmbedderOptions {
  /** How the net expects its input scaled (default `0-1`). */
  inputScale?: InputScale;
  /** Square input side, needed when the graph's input has no fixed size. */
  inputSize?: number;
  /** Output node to use when the graph has several outputs. */
  outputName?: string;
  /** Name for reports (default: the file name). */
  name?: string;
}

/** Loads a tfjs graph model.json from disk as a {@linkcode FaceEmbedder}. */
export async function loadGraphEmbedder(
  modelJsonPath: string,
  options: GraphEmbedderOptions = {},
): Promise<FaceEmbedder> {
  const scale = parseInputScale(options.inputScale);
  const { json, artifacts } = await readLocalModel(modelJsonPath);
  if (isLayersModelJson(json)) {
    throw new ModelLoadError(`'${modelJsonPath}' is a layers model, not a graph model.`);
  }
  let model: GraphModel;
  try {
    model = await loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw new ModelLoadError(
      `Cannot build graph model '${modelJsonPath}': ${(e as Error).message}`,
    );
  }
  const what = `graph model '${modelJsonPath}'`;
  try {
    if (model.inputs.length !== 1) {
      throw new ModelLoadError(
        `${what}: has ${model.inputs.length} inputs (${
          model.inputNodes.join(", ")
        }); need one image input.`,
      );
    }
    const side = checkInputShape(what, model.inputs[0].shape, options.inputSize);
    const inputName = model.inputNodes[0];
    const outputs = model.outputNodes;
    let outputName = options.outputName;
    if (outputName === undefined) {
      if (outputs.length !== 1) {
        throw new ModelLoadError(
          `${what}: has ${outputs.length} outputs (${outputs.join(", ")}); pass outputName.`,
        );
      }
      outputName = outputs[0];
    }
    const run = (x: tf.Tensor4D) => model.execute({ [inputName]: x }, outputName) as tf.Tensor;
    const embeddingSize = probeEmbeddingSize(what, side, run);
    return modelEmbedder(modelJsonPath, {
      side,
      scale,
      embeddingSize,
      embed: (batch) => run(batch) as tf.Tensor2D,
      dispose: () => model.dispose(),
    }, { name: options.name });
  } catch (e) {
    model.dispose();
    throw e;
  }
}
