/**
 * Matching a checkpoint's variables to a model's Keras object paths ({@linkcode planKerasMapping}):
 * pure bookkeeping on the index, no weight is read, so a checkpoint whose weights shard is absent
 * (or too big to load in a test) can still be checked variable by variable.
 *
 * Contract: every checkpoint variable of the chosen kinds under `prefix` is used exactly once
 * (unless under an `ignore` prefix), every weight of ours is set exactly once, shapes equal,
 * dtype float32 (or float16, widened on load). Optimizer slots, optimizer scalars and other
 * objects (save counter, metrics) are not mapped unless asked; they are counted.
 *
 * @module
 */
import type { CheckpointVariable, TfCheckpoint } from "../../data/tf_checkpoint/mod.ts";
import type { KerasWeightTarget } from "./keras_paths.ts";

/** A checkpoint variable's kind (see `CheckpointVariable.kind`). */
export type CheckpointVariableKind = CheckpointVariable["kind"];

/** One checkpoint variable assigned to one weight of ours. */
export interface KerasAssignment {
  target: KerasWeightTarget;
  variable: CheckpointVariable;
}

/** A path both sides have, with different shapes or an unusable dtype. */
export interface KerasShapeMismatch {
  path: string;
  owner: string;
  ours: number[];
  checkpoint: number[];
  dtype: string;
}

/** What {@linkcode planKerasMapping} found. */
export interface KerasMappingPlan {
  /** One entry per weight of ours that the checkpoint sets. */
  assignments: KerasAssignment[];
  /** Our weights the checkpoint lacks (path, owner). */
  missing: { path: string; owner: string }[];
  /** Checkpoint variables (of the mapped kinds, under the prefix) nothing of ours takes. */
  leftover: CheckpointVariable[];
  /** Paths on both sides whose shapes (or dtype) do not fit. */
  mismatched: KerasShapeMismatch[];
  /** Checkpoint variables not considered: outside the prefix, under `ignore`, or of another kind. */
  skipped: { kind: CheckpointVariableKind | "ignored" | "outside prefix"; count: number }[];
  /** Optimizer slots by slot name, and those whose variable is not one we map. */
  slots: { byName: Record<string, number>; ofMapped: number; orphans: CheckpointVariable[] };
}

/** Options of {@linkcode planKerasMapping}. */
export interface KerasMappingOptions {
  /** Object path of the model inside the checkpoint (default "": the checkpoint's root). */
  prefix?: string;
  /** Checkpoint variable kinds to map (default `["model"]`). */
  kinds?: CheckpointVariableKind[];
  /** Path prefixes (full paths) of checkpoint variables to leave alone, e.g. a head. */
  ignore?: string[];
}

/** Raised when a checkpoint does not fit a model: lists what is missing, left over, mismatched. */
export class KerasCheckpointMismatchError extends Error {
  override name = "KerasCheckpointMismatchError";
  /** The plan that did not fit. */
  readonly plan: KerasMappingPlan;
  constructor(message: string, plan: KerasMappingPlan) {
    super(message);
    this.plan = plan;
  }
}

const FLOAT_DTYPES = new Set(["float32", "float16"]);
const SHOW = 5;

function list<T>(items: T[], show: (t: T) => string): string {
  const head = items.slice(0, SHOW).map(show).join(", ");
  return items.length > SHOW ? `${head}, ... (${items.length - SHOW} more)` : head;
}

/**
 * Matches `targets` (our weights with their Keras paths) to the variables of `ckpt`.
 * Never throws for a misfit: see {@linkcode checkKerasMapping}.
 */
export function planKerasMapping(
  targets: readonly KerasWeightTarget[],
  ckpt: TfCheckpoint,
  options: KerasMappingOptions = {},
): KerasMappingPlan {
  const prefix = options.prefix ?? "";
  const kinds = new Set<CheckpointVariableKind>(options.kinds ?? ["model"]);
  const ignore = options.ignore ?? [];
  const skipped = new Map<string, number>();
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const candidates = new Map<string, CheckpointVariable>();
  const slotNames: Record<string, number> = {};
  const slots: CheckpointVariable[] = [];
  for (const v of ckpt.variables) {
    if (v.kind === "slot") {
      slots.push(v);
      slotNames[v.slotName ?? "?"] = (slotNames[v.slotName ?? "?"] ?? 0) + 1;
    }
    if (!kinds.has(v.kind)) skip(v.kind);
    else if (!v.path.startsWith(prefix)) skip("outside prefix");
    else if (ignore.some((p) => v.path.startsWith(p))) skip("ignored");
    else candidates.set(v.path, v);
  }
  const assignments: KerasAssignment[] = [];
  const missing: KerasMappingPlan["missing"] = [];
  const mismatched: KerasShapeMismatch[] = [];
  const used = new Set<string>();
  for (const target of targets) {
    const v = candidates.get(target.path);
    if (!v) {
      missing.push({ path: target.path, owner: target.owner });
      continue;
    }
    used.add(v.path);
    const shape = v.entry.shape;
    const fits = shape.length === target.shape.length &&
      shape.every((d, i) => d === target.shape[i]) && FLOAT_DTYPES.has(v.entry.dtype);
    if (fits) assignments.push({ target, variable: v });
    else {
      mismatched.push({
        path: target.path,
        owner: target.owner,
        ours: target.shape,
        checkpoint: shape,
        dtype: v.entry.dtype,
      });
    }
  }
  const leftover = [...candidates.values()].filter((v) => !used.has(v.path));
  const mapped = new Set(assignments.map((a) => a.variable.path));
  return {
    assignments,
    missing,
    leftover,
    mismatched,
    skipped: [...skipped].map(([kind, count]) => ({
      kind: kind as KerasMappingPlan["skipped"][number]["kind"],
      count,
    })),
    slots: {
      byName: slotNames,
      ofMapped: slots.filter((s) => s.slotOf !== undefined && mapped.has(s.slotOf)).length,
      orphans: slots.filter((s) => s.slotOf === undefined || !mapped.has(s.slotOf)),
    },
  };
}

/** True when the plan maps everything one to one (nothing missing, left over or mismatched). */
export function kerasMappingFits(plan: KerasMappingPlan): boolean {
  return plan.missing.length === 0 && plan.leftover.length === 0 && plan.mismatched.length === 0;
}

/**
 * Throws a {@linkcode KerasCheckpointMismatchError} naming the first few missing, left-over and
 * mismatched variables (with counts) unless the plan fits.
 *
 * @param what the model's name, for the message
 */
export function checkKerasMapping(plan: KerasMappingPlan, ckpt: TfCheckpoint, what: string): void {
  if (kerasMappingFits(plan)) return;
  const parts: string[] = [];
  if (plan.mismatched.length) {
    parts.push(
      `${plan.mismatched.length} shape mismatch(es) (checkpoint vs ours): ` +
        list(
          plan.mismatched,
          (m) => `${m.path} ${m.dtype}[${m.checkpoint}] vs ${m.owner} [${m.ours}]`,
        ),
    );
  }
  if (plan.missing.length) {
    parts.push(
      `${plan.missing.length} of our weights missing from the checkpoint: ` +
        list(plan.missing, (m) => `${m.path} (${m.owner})`),
    );
  }
  if (plan.leftover.length) {
    parts.push(
      `${plan.leftover.length} checkpoint variable(s) left over: ` +
        list(plan.leftover, (v) => `${v.path} ${v.entry.dtype}[${v.entry.shape}]`),
    );
  }
  throw new KerasCheckpointMismatchError(
    `Checkpoint ${ckpt.prefix} does not fit model '${what}' ` +
      `(${plan.assignments.length} variables matched): ${parts.join("; ")}. ` +
      `Build the model the checkpoint was saved from (backbone, embedding size, input size).`,
    plan,
  );
}
