/**
 * TF.js adapter: model weights, head variables and optimiser slots <-> checkpoint arrays.
 *
 * Optimiser slots (tfjs `MomentumOptimizer`, `AdamOptimizer`, ...): `getWeights()` returns the
 * `iter` counter (a fresh int32 scalar) followed by the slot variables; slots are matched to
 * variables by POSITION in the `varList` given to `minimize`, not by name, and are created lazily
 * by the first update. `setWeights()` installs the given slots on any optimiser, fresh ones
 * included (the next update uses them instead of creating zeros), but does not dispose the slots
 * it replaces: {@linkcode setOptimizerSlots} does.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { CheckpointError, type NamedArray } from "./format.ts";

/** A tensor with the name it has in a checkpoint. */
export interface NamedTensorEntry {
  /** Checkpoint name. */
  name: string;
  /** The tensor (read, not disposed). */
  tensor: tf.Tensor;
}

/** A variable with the name it has in a checkpoint. */
export interface NamedVariable {
  /** Checkpoint name. */
  name: string;
  /** The variable to save from / restore into. */
  variable: tf.Variable;
}

/** Options of {@linkcode assignArrays}. */
export interface AssignArraysOptions {
  /** What one array is, for messages (default `weight`), e.g. `model weight`. */
  what?: string;
  /** What the targets belong to, for messages (default `model`). */
  owner?: string;
}

/** Options of {@linkcode setOptimizerSlots}. */
export interface SetOptimizerSlotsOptions {
  /**
   * The `varList` the optimiser updates, in order: each slot i must have the shape of
   * `variables[i % variables.length]` (one or more slots per variable, as tfjs lays them out).
   */
  variables?: tf.Variable[];
}

const MAX_LISTED = 5;
/** Largest integer a float32 holds exactly. */
const MAX_EXACT_ITER = 2 ** 24;

/** Reads tensors into checkpoint arrays (float32 copies; the tensors are not disposed). */
export async function tensorsToArrays(named: NamedTensorEntry[]): Promise<NamedArray[]> {
  return await Promise.all(named.map(async ({ name, tensor }) => {
    const data = await tensor.data();
    const values = data instanceof Float32Array
      ? data.slice()
      : Float32Array.from(data as Int32Array);
    return { name, shape: [...tensor.shape], values };
  }));
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

function mismatchError(problems: string[], owner: string): CheckpointError {
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : "";
  return new CheckpointError(
    `the checkpoint does not fit the ${owner}: ${problems.slice(0, MAX_LISTED).join("; ")}${more}` +
      `: the checkpoint is from another config; resume with the config it was saved with.`,
  );
}

/**
 * Assigns checkpoint arrays to variables, matched one-to-one by name; every name and shape is
 * checked before anything is assigned.
 *
 * @throws {CheckpointError} listing the first mismatches (missing, extra, or reshaped arrays).
 */
export function assignArrays(
  targets: NamedVariable[],
  arrays: NamedArray[],
  options: AssignArraysOptions = {},
): void {
  const what = options.what ?? "weight";
  const owner = options.owner ?? "model";
  const byName = new Map(arrays.map((a) => [a.name, a]));
  const problems: string[] = [];
  if (byName.size !== arrays.length) problems.push(`the checkpoint repeats a ${what} name`);
  const targetNames = new Set(targets.map((t) => t.name));
  for (const t of targets) {
    const a = byName.get(t.name);
    if (a === undefined) {
      problems.push(`${what} '${t.name}' is in the ${owner} but not in the checkpoint`);
    } else if (shapeText(a.shape) !== shapeText(t.variable.shape)) {
      problems.push(
        `${what} '${t.name}' has shape ${shapeText(a.shape)} in the checkpoint but ` +
          `${shapeText(t.variable.shape)} in the ${owner}`,
      );
    }
  }
  for (const a of arrays) {
    if (!targetNames.has(a.name)) {
      problems.push(`${what} '${a.name}' is in the checkpoint but not in the ${owner}`);
    }
  }
  if (problems.length > 0) throw mismatchError(problems, owner);
  for (const t of targets) {
    const a = byName.get(t.name)!;
    tf.tidy(() => t.variable.assign(tf.tensor(a.values, a.shape, "float32")));
  }
}

/** Names variables `<prefix>/<index>` (e.g. a head's `trainableVariables`, whose TF.js names vary). */
export function indexedVariables(variables: tf.Variable[], prefix: string): NamedVariable[] {
  return variables.map((variable, i) => ({ name: `${prefix}/${i}`, variable }));
}

/**
 * Every weight of a layers model (BN moving statistics included) in `model.weights` order,
 * named by `originalName` (stable across builds: `conv1/kernel`, not `conv1/kernel_1`).
 */
export function modelVariables(model: LayersModel): NamedVariable[] {
  return model.weights.map((w) => ({
    name: w.originalName ?? w.name,
    variable: w.read() as tf.Variable,
  }));
}

/** Reads every weight of a layers model (see {@linkcode modelVariables}). */
export async function modelWeightArrays(model: LayersModel): Promise<NamedArray[]> {
  return await tensorsToArrays(
    modelVariables(model).map(({ name, variable }) => ({ name, tensor: variable })),
  );
}

/**
 * Restores every weight of a layers model, matched by name and checked by shape (no weight
 * constraint is re-applied, so values are bit-exact).
 *
 * @throws {CheckpointError} when the checkpoint's weights do not fit the model.
 */
export function setModelWeights(model: LayersModel, arrays: NamedArray[]): void {
  assignArrays(modelVariables(model), arrays, { what: "model weight", owner: "model" });
}

/**
 * Reads an optimiser's state: `iter` (its update count, as a float32 scalar) then its slot
 * variables in tfjs order, named as tfjs names them. Leaks no tensors.
 *
 * @throws {CheckpointError} when the optimiser cannot export its state, or the count exceeds
 *   2^24 (not exact in float32).
 */
export async function optimizerSlotArrays(optimizer: tf.Optimizer): Promise<NamedArray[]> {
  let weights: NamedTensorEntry[];
  try {
    weights = await optimizer.getWeights();
  } catch (e) {
    throw new CheckpointError(
      `cannot read the state of optimizer ${optimizer.getClassName()}: ${(e as Error).message}.`,
    );
  }
  try {
    const arrays = await tensorsToArrays(weights);
    if (arrays[0]?.name === "iter" && arrays[0].values[0] > MAX_EXACT_ITER) {
      throw new CheckpointError(
        `optimizer iteration count ${arrays[0].values[0]} exceeds 2^24 and cannot be saved ` +
          `exactly; restart the optimizer's count.`,
      );
    }
    return arrays;
  } finally {
    // Only `iter` is a fresh tensor; the slots belong to the optimiser.
    if (weights[0]?.name === "iter") weights[0].tensor.dispose();
  }
}

/**
 * Restores an optimiser's state saved by {@linkcode optimizerSlotArrays}, also into a fresh
 * optimiser whose slots do not exist yet. The slots it replaces are disposed.
 *
 * @throws {CheckpointError} when `arrays` does not start with `iter`, when slots do not fit
 *   `options.variables`, or when the optimiser cannot take them (e.g. another optimiser type).
 */
export async function setOptimizerSlots(
  optimizer: tf.Optimizer,
  arrays: NamedArray[],
  options: SetOptimizerSlotsOptions = {},
): Promise<void> {
  const kind = optimizer.getClassName();
  if (arrays[0]?.name !== "iter" || arrays[0].values.length !== 1) {
    throw new CheckpointError(
      `the checkpoint's optimizer state does not start with the 'iter' counter: it was not ` +
        `saved by optimizerSlotArrays; resume without optimizer state or from another checkpoint.`,
    );
  }
  const slots = arrays.slice(1);
  const vars = options.variables;
  if (vars !== undefined && slots.length > 0) {
    const problems: string[] = [];
    if (vars.length === 0 || slots.length % vars.length !== 0) {
      problems.push(`it has ${slots.length} slots for ${vars.length} variables`);
    } else {
      slots.forEach((s, i) => {
        const v = vars[i % vars.length];
        if (shapeText(s.shape) !== shapeText(v.shape)) {
          problems.push(
            `slot '${s.name}' has shape ${shapeText(s.shape)} in the checkpoint but its variable ` +
              `${i % vars.length} ('${v.name}') has ${shapeText(v.shape)}`,
          );
        }
      });
    }
    if (problems.length > 0) throw mismatchError(problems, `${kind} optimizer`);
  }
  const old = await optimizer.getWeights();
  const tensors: NamedTensorEntry[] = arrays.map((a) => ({
    name: a.name,
    tensor: tf.tensor(a.values, a.shape, "float32"),
  }));
  try {
    await optimizer.setWeights(tensors);
  } catch (e) {
    tf.dispose(tensors.map((t) => t.tensor));
    old[0]?.tensor.dispose();
    throw new CheckpointError(
      `cannot restore the state of optimizer ${kind}: ${(e as Error).message}; the checkpoint ` +
        `was saved with another optimizer: resume with the config it was saved with.`,
    );
  }
  // setWeights wraps each tensor in a new variable (sharing its data); ours can go, and so can
  // the replaced slots and the `iter` scalar getWeights made.
  tf.dispose(tensors.map((t) => t.tensor));
  tf.dispose(old.map((t) => t.tensor));
}
