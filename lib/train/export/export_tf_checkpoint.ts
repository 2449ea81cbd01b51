/**
 * One of our trained models as a TF2 checkpoint under arcface-tf2's layout
 * ({@linkcode exportTfCheckpoint}), for `deno task export-ckpt`: continue training with
 * arcface-tf2 / TensorFlow (distribution strategies, many GPUs) and bring the result back with
 * `deno task eval --model <prefix>`.
 *
 * Sources: a run folder (`<results>/<sub_name>`: its latest checkpoint, with the ArcHead), one
 * checkpoint folder (`.../checkpoints/step_N`), or an exported model (`.../export/model.json`,
 * the embedding model only).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../../config/mod.ts";
import { buildHead } from "../../heads/mod.ts";
import { ArcHead } from "../../heads/arc_head.ts";
import { embeddingModelOf } from "../spec_from_config.ts";
import { isFile, writeCheckpointState } from "../../data/tf_checkpoint/mod.ts";
import { writeArcFaceTf2Checkpoint } from "../../models/keras_checkpoint/mod.ts";
import { readLocalModel } from "../../eval/models/model_files.ts";
import {
  assignArrays,
  CheckpointError,
  indexedVariables,
  isCompleteCheckpoint,
  latestCheckpoint,
  readCheckpoint,
  setModelWeights,
} from "../checkpoint/mod.ts";
import { ExportError } from "./export_layers_model.ts";

/** Options of {@linkcode exportTfCheckpoint}. */
export interface ExportTfCheckpointOptions {
  /** Leave the ArcHead out (arcface-tf2's inference model); default: write it when there is one. */
  noHead?: boolean;
  /** Data shards of the written checkpoint (default: the writer's). */
  numShards?: number;
}

/** What {@linkcode exportTfCheckpoint} wrote. */
export interface ExportTfCheckpointResult {
  /** The checkpoint prefix (`<prefix>.index`, `<prefix>.data-*`). */
  prefix: string;
  /** Where the weights came from (a checkpoint folder or a model.json). */
  source: string;
  /** Backbone name and embedding size. */
  backbone: string;
  embdShape: number;
  /** ArcHead classes, when the head was written. */
  numClasses?: number;
  /** Variables written (the object graph aside). */
  variables: number;
}

async function checkpointDir(source: string): Promise<string | undefined> {
  if (await isCompleteCheckpoint(source)) return source;
  const latest = await latestCheckpoint(join(source, "checkpoints"));
  return latest;
}

/**
 * Writes the model of `source` (see the module doc) as `<prefix>.index` + data shards, and TF's
 * `checkpoint` state file beside them naming `<prefix>` the folder's latest (as
 * `model.save_weights` does: arcface-tf2 finds its checkpoint by `tf.train.latest_checkpoint`).
 * Call it after the backend is set up.
 *
 * @throws {ExportError} for a source that is none of the above or a backbone arcface-tf2 lacks
 *   (MobileFaceNet); the checkpoint reader's errors for an unreadable source
 */
export async function exportTfCheckpoint(
  source: string,
  prefix: string,
  options: ExportTfCheckpointOptions = {},
): Promise<ExportTfCheckpointResult> {
  const modelJson = source.endsWith(".json")
    ? source
    : await isFile(join(source, "model.json"))
    ? join(source, "model.json")
    : undefined;
  if (modelJson) {
    const { artifacts } = await readLocalModel(modelJson);
    const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    try {
      const written = await writeArcFaceTf2Checkpoint(model, prefix, {
        numShards: options.numShards,
      });
      await writeCheckpointState(prefix);
      const backbone = model.layers[1]?.name.startsWith("resnet50") ? "ResNet50" : "MobileNetV2";
      const embdShape = model.outputs[0].shape[1] as number;
      return { prefix, source: modelJson, backbone, embdShape, variables: written.length };
    } finally {
      model.dispose();
    }
  }
  const dir = await checkpointDir(source);
  if (!dir) {
    throw new ExportError(
      `${source} is neither a run folder with checkpoints, a checkpoint folder (step_N with ` +
        `manifest.json) nor an exported model (model.json): nothing to export.`,
    );
  }
  const content = await readCheckpoint(dir);
  const config = parseConfig(parseYaml(content.configYaml), { source: join(dir, "config.yaml") });
  if (config.backbone_type === "MobileFaceNet") {
    throw new ExportError(
      `${dir}: a MobileFaceNet run cannot be written in arcface-tf2's layout (arcface-tf2 has ` +
        `ResNet50 and MobileNetV2 only).`,
    );
  }
  const model = embeddingModelOf(config);
  const withHead = !options.noHead && config.head_type === "ArcHead";
  const head = withHead
    ? buildHead(config.head_type, {
      embdShape: config.embd_shape,
      numClasses: config.num_classes,
    })
    : undefined;
  try {
    const groups = content.groups;
    if (!groups.model) throw new CheckpointError(`${dir} has no 'model' weights group.`);
    setModelWeights(model, groups.model);
    if (head && groups.head) {
      assignArrays(indexedVariables(head.trainableVariables, "head"), groups.head, {
        what: "head weight",
        owner: "head",
      });
    }
    const written = await writeArcFaceTf2Checkpoint(model, prefix, {
      head: head instanceof ArcHead && groups.head ? head : undefined,
      numShards: options.numShards,
    });
    await writeCheckpointState(prefix);
    return {
      prefix,
      source: dir,
      backbone: config.backbone_type,
      embdShape: config.embd_shape,
      numClasses: head && groups.head ? config.num_classes : undefined,
      variables: written.length,
    };
  } finally {
    model.dispose();
    head?.dispose();
  }
}
