/**
 * Checkpoints of a set of replicas: the trainable weights and optimiser slots are identical
 * in every replica; BatchNorm moving statistics are averaged over the replicas (each updated
 * them from its own micro-batches) and written back to all of them, so every replica, and a
 * resumed run, continues from the same state.
 *
 * @module
 */
import { join } from "node:path";
import {
  type CheckpointContent,
  latestCheckpoint,
  type NamedArray,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint/mod.ts";
import type { ReplicaHandle } from "./replica_pool.ts";
import type { ReplicaState } from "./replica.ts";

/** Where the trainer is, saved in `state.json` beside the weights. */
export interface TrainPosition {
  /** Optimiser steps done. */
  step: number;
  /** The input pipeline's position after the last batch trained on. */
  pipeline: { seed: number; epoch: number; recordIndex: number };
  /** The last step's metrics (for the resumed progress display). */
  last?: Record<string, unknown>;
}

const BN_STAT = /moving_(mean|variance)/;

function average(states: ReplicaState[]): NamedArray[] {
  return states[0].model.map((a, i) => {
    if (!BN_STAT.test(a.name) || states.length === 1) return a;
    const values = new Float32Array(a.values.length);
    for (const s of states) {
      const v = s.model[i].values;
      for (let j = 0; j < values.length; j++) values[j] += v[j];
    }
    for (let j = 0; j < values.length; j++) values[j] /= states.length;
    return { ...a, values };
  });
}

/**
 * Averages the replicas' BN statistics into all of them and returns the common state
 * (model, head, optimizer groups).
 */
export async function syncReplicas(replicas: readonly ReplicaHandle[]): Promise<ReplicaState> {
  const states = await Promise.all(replicas.map((r) => r.state()));
  const model = average(states);
  if (replicas.length > 1) await Promise.all(replicas.map((r) => r.load({ model })));
  return { model, head: states[0].head, optimizer: states[0].optimizer };
}

/** Saves the replicas' common state under `<runDir>/checkpoints/step_N/`; returns the folder. */
export async function saveReplicaCheckpoint(
  runDir: string,
  replicas: readonly ReplicaHandle[],
  options: { position: TrainPosition; configYaml: string; keep: number },
): Promise<string> {
  const state = await syncReplicas(replicas);
  const content: CheckpointContent = {
    step: options.position.step,
    groups: { model: state.model, head: state.head, optimizer: state.optimizer },
    state: options.position,
    configYaml: options.configYaml,
  };
  return await writeCheckpoint(join(runDir, "checkpoints"), content, { keep: options.keep });
}

/** The latest complete checkpoint of a run, read, or undefined when there is none. */
export async function loadLatestCheckpoint(
  runDir: string,
): Promise<(CheckpointContent & { dir: string }) | undefined> {
  const dir = await latestCheckpoint(join(runDir, "checkpoints"));
  if (!dir) return undefined;
  return { ...(await readCheckpoint(dir)), dir };
}

/** Loads a checkpoint's weights and optimiser slots into every replica. */
export async function restoreReplicas(
  replicas: readonly ReplicaHandle[],
  content: CheckpointContent,
): Promise<void> {
  const g = content.groups;
  await Promise.all(
    replicas.map((r) => r.load({ model: g.model, head: g.head, optimizer: g.optimizer })),
  );
}
