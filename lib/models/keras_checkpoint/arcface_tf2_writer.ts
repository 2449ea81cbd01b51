/**
 * Our embedding model (+ ArcHead) written as a TF2 checkpoint under arcface-tf2's layout, with the
 * object graph Keras' `save_weights` writes for its `ArcFaceModel` (training=True when a head is
 * given: `input_image`, backbone, `OutputLayer`, `label`, `ArcHead`), so that arcface-tf2 /
 * TensorFlow `model.load_weights(prefix)` restores it and continues training there.
 *
 * Variable names (`full_name`, informational in TF) follow arcface-tf2's: the backbone's layer
 * names, Keras' auto-names for the "E" layers (`batch_normalization`, `dense`,
 * `batch_normalization_1`) and `arc_margin_penalty_logists/weights` for the head.
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import {
  encodeObjectGraph,
  type TrackableObjectGraph,
  writeCheckpoint,
} from "../../data/tf_checkpoint/mod.ts";
import { type ArcFaceTf2Head, arcHeadTarget } from "./arcface_tf2.ts";
import {
  emptyNode,
  kerasModelNode,
  kerasModelOf,
  kerasObjectGraph,
  type KerasObjectNode,
} from "./keras_object_graph.ts";
import { kerasCheckpointTensors } from "./load_keras_weights.ts";

/** arcface-tf2's TF names of the "E" output layer's variables, by our layer names. */
const E_LAYER_NAMES: Readonly<Record<string, string>> = {
  bn: "batch_normalization",
  dense: "dense",
  embedding: "batch_normalization_1",
};

/** Raised when a model cannot be written in arcface-tf2's layout. */
export class ArcFaceTf2WriteError extends Error {
  override name = "ArcFaceTf2WriteError";
}

/**
 * The object graph of arcface-tf2's `ArcFaceModel` for our embedding model (and a head of
 * W shape `headShape`), with the checkpoint key of every variable in node order.
 */
export function arcFaceTf2ObjectGraph(
  model: tfl.LayersModel,
  options: { headShape?: [number, number] } = {},
): { graph: TrackableObjectGraph; keys: string[] } {
  const [input, backbone, output] = model.layers;
  if (
    model.layers.length !== 3 || !(backbone instanceof tfl.LayersModel) ||
    !(output instanceof tfl.LayersModel)
  ) {
    throw new ArcFaceTf2WriteError(
      `Model '${model.name}' is not input -> backbone -> OutputLayer (layers: ` +
        `${model.layers.map((l) => l.name).join(", ")}); build it with buildEmbeddingModel ` +
        `(ResNet50 or MobileNetV2).`,
    );
  }
  void input;
  const layers: { node: KerasObjectNode; weighted: boolean }[] = [
    { node: emptyNode(), weighted: false },
    { node: kerasModelNode(backbone), weighted: true },
    {
      node: kerasModelNode(output, {
        fullName: (layer, attr) => `${E_LAYER_NAMES[layer] ?? layer}/${attr}`,
      }),
      weighted: true,
    },
  ];
  if (options.headShape) {
    const w: KerasObjectNode = { children: [], fullName: "arc_margin_penalty_logists/weights" };
    // ArcMarginPenaltyLogists: add_weight("weights") and the attribute `self.w`, one variable.
    const margin: KerasObjectNode = {
      children: [{ name: "weights", node: w }, { name: "w", node: w }],
    };
    const head = kerasModelOf([
      { node: emptyNode(), weighted: false }, // embds input
      { node: emptyNode(), weighted: false }, // labels input
      { node: margin, weighted: true },
    ]);
    layers.push({ node: emptyNode(), weighted: false }, { node: head, weighted: true });
  }
  return kerasObjectGraph(kerasModelOf(layers));
}

/** Options of {@linkcode writeArcFaceTf2Checkpoint}. */
export interface WriteArcFaceTf2Options {
  /** The ArcHead to write too (arcface-tf2's training model); default none (its eval model). */
  head?: ArcFaceTf2Head;
  /** Data shards (default: the writer's). */
  numShards?: number;
}

/**
 * Writes `model` (our ResNet50 / MobileNetV2 embedding model) and optionally its ArcHead as a TF2
 * checkpoint `<prefix>.index` + `<prefix>.data-*` under arcface-tf2's layout.
 *
 * @returns the checkpoint keys written (the object graph's excluded)
 * @throws {ArcFaceTf2WriteError} for a model of another structure
 */
export async function writeArcFaceTf2Checkpoint(
  model: tfl.LayersModel,
  prefix: string,
  options: WriteArcFaceTf2Options = {},
): Promise<string[]> {
  const head = options.head;
  const headShape = head ? [...head.w.shape] as [number, number] : undefined;
  const { graph, keys } = arcFaceTf2ObjectGraph(model, { headShape });
  const tensors = await kerasCheckpointTensors(model, {
    extra: head ? [arcHeadTarget(head)] : [],
  });
  const written = tensors.map((t) => t.key).sort();
  const graphKeys = [...keys].sort();
  if (written.join("\n") !== graphKeys.join("\n")) {
    throw new ArcFaceTf2WriteError(
      `Model '${model.name}': its ${written.length} weights and the ${graphKeys.length} ` +
        `variables of the object graph differ (first: ${
          written.find((k) => !graphKeys.includes(k)) ?? graphKeys.find((k) => !written.includes(k))
        }).`,
    );
  }
  await writeCheckpoint(prefix, tensors, {
    numShards: options.numShards,
    objectGraph: encodeObjectGraph(graph),
  });
  return written;
}
