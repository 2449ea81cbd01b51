/**
 * Loading a TF2 (Keras-2 `save_weights` / SavedModel) checkpoint into a TF.js model by Keras
 * object paths ({@linkcode loadKerasWeights}), and the inverse: a model's weights as checkpoint
 * tensors under the same paths ({@linkcode kerasCheckpointTensors}).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import {
  type BundleEntry,
  type CheckpointTensor,
  readTensor,
  shardPath,
  type TfCheckpoint,
  variableKey,
} from "../../data/tf_checkpoint/mod.ts";
import {
  checkKerasMapping,
  type KerasMappingOptions,
  type KerasMappingPlan,
  planKerasMapping,
} from "./keras_mapping.ts";
import { kerasWeightPaths, type KerasWeightTarget } from "./keras_paths.ts";

/**
 * The Keras checkpoint key of an object path (what `save_weights` stores a variable under):
 * the reader's `variableKey`, under the name this module's callers know.
 */
export const kerasVariableKey: (path: string) => string = variableKey;

/** Raised when a checkpoint's weights cannot be read into the model (missing shard, bad dtype). */
export class KerasWeightLoadError extends Error {
  override name = "KerasWeightLoadError";
}

/** Options of {@linkcode loadKerasWeights}. */
export interface LoadKerasWeightsOptions extends KerasMappingOptions {
  /**
   * Throw a `KerasCheckpointMismatchError` unless the checkpoint fits one to one (default true).
   * With false, load what matches and report the rest in the returned plan.
   */
  strict?: boolean;
  /** Weights outside the model to set too (e.g. a head's W at its checkpoint path). */
  extra?: KerasWeightTarget[];
  /** Called after each variable is set (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Checks that the data shard of every entry in `entries` exists, before any weight is read (so a
 * model is never left half loaded).
 *
 * @throws {KerasWeightLoadError} naming the first missing shard file and how many entries it holds
 */
export function checkCheckpointShards(
  ckpt: TfCheckpoint,
  entries: readonly BundleEntry[],
): void {
  const need = new Map<number, number>();
  for (const e of entries) need.set(e.shardId, (need.get(e.shardId) ?? 0) + 1);
  for (const [id, count] of [...need].sort((a, b) => a[0] - b[0])) {
    const file = shardPath(ckpt.prefix, id, ckpt.numShards);
    try {
      Deno.statSync(file);
    } catch {
      throw new KerasWeightLoadError(
        `Checkpoint data shard ${file} is missing: it holds ${count} of the ` +
          `${entries.length} weights to load. Copy every '.data-*' file of the ` +
          `checkpoint next to its '.index' file.`,
      );
    }
  }
}

/**
 * Sets the weights of `model` (and `options.extra`) from `ckpt` by Keras object paths. The whole
 * mapping is checked on the index first (nothing is read when it does not fit), then every data
 * shard it needs, then each variable is read (streamed, CRC-checked) and written.
 *
 * @returns the mapping plan (what was set, what was skipped: optimizer slots, ignored heads)
 * @throws {KerasCheckpointMismatchError} when strict and the checkpoint does not fit
 * @throws {KerasWeightLoadError} when a needed data shard is missing
 */
export async function loadKerasWeights(
  model: tfl.LayersModel,
  ckpt: TfCheckpoint,
  options: LoadKerasWeightsOptions = {},
): Promise<KerasMappingPlan> {
  const targets = [...kerasWeightPaths(model, { prefix: options.prefix }), ...options.extra ?? []];
  const plan = planKerasMapping(targets, ckpt, options);
  if (options.strict ?? true) checkKerasMapping(plan, ckpt, model.name);
  checkCheckpointShards(ckpt, plan.assignments.map((a) => a.variable.entry));
  let done = 0;
  for (const { target, variable } of plan.assignments) {
    const data = await readTensor(ckpt, variable.entry.key);
    if (!(data instanceof Float32Array)) {
      throw new KerasWeightLoadError(
        `Checkpoint ${ckpt.prefix}: '${variable.entry.key}' is ${variable.entry.dtype}, ` +
          `not a float tensor; it cannot set ${target.owner}.`,
      );
    }
    const value = tf.tensor(data, target.shape, "float32");
    try {
      target.write(value);
    } finally {
      value.dispose();
    }
    options.onProgress?.(++done, plan.assignments.length);
  }
  return plan;
}

/** Options of {@linkcode kerasCheckpointTensors}. */
export interface KerasCheckpointTensorsOptions {
  /** Object path of the model inside the checkpoint (default ""). */
  prefix?: string;
  /** Weights outside the model to write too (e.g. a head's W). */
  extra?: KerasWeightTarget[];
}

/**
 * The weights of `model` (and `options.extra`) as float32 checkpoint tensors keyed like Keras'
 * `save_weights` (`<path>/.ATTRIBUTES/VARIABLE_VALUE`), in Keras' order.
 */
export async function kerasCheckpointTensors(
  model: tfl.LayersModel,
  options: KerasCheckpointTensorsOptions = {},
): Promise<CheckpointTensor[]> {
  const targets = [...kerasWeightPaths(model, { prefix: options.prefix }), ...options.extra ?? []];
  const out: CheckpointTensor[] = [];
  for (const t of targets) {
    const data = await t.read().data() as Float32Array;
    out.push({ key: kerasVariableKey(t.path), dtype: "float32", shape: t.shape, data });
  }
  return out;
}
