/**
 * Finding and reading checkpoint folders (see `format.ts` for the layout).
 *
 * @module
 */
import { fileSize } from "../../io/file_size.ts";
import { join } from "node:path";
import {
  CHECKPOINT_FILES,
  type CheckpointContent,
  CheckpointError,
  type CheckpointManifest,
  float32FromLittleEndian,
  LATEST_FILE,
  type NamedArray,
  parseManifest,
  parseStepDirName,
} from "./format.ts";

/** One complete checkpoint folder found by {@linkcode listCheckpoints}. */
export interface CheckpointEntry {
  /** Its training step. */
  step: number;
  /** Its folder name, `step_<8 digits>`. */
  name: string;
  /** Its path (`<root>/<name>`). */
  path: string;
}

function describe(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "it does not exist";
  return e instanceof Error ? e.message : String(e);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new CheckpointError(
      `cannot read the ${what} ${path}: ${describe(e)}. The checkpoint is incomplete or not a ` +
        `checkpoint; resume from another one.`,
    );
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(
      `the ${what} ${path} is not valid JSON (${(e as Error).message}): the checkpoint is ` +
        `damaged; resume from another one.`,
    );
  }
}

/** Reads and checks `<dir>/manifest.json`. @throws {CheckpointError} naming the file. */
export async function readManifest(dir: string): Promise<CheckpointManifest> {
  const path = join(dir, CHECKPOINT_FILES.manifest);
  return parseManifest(await readJson(path, "checkpoint manifest"), path);
}

/**
 * True when `dir` holds a complete checkpoint: a valid manifest, `weights.bin` of exactly the
 * manifest's `byteLength`, and `state.json` and `config.yaml` present. Never throws.
 */
export async function isCompleteCheckpoint(dir: string): Promise<boolean> {
  let manifest: CheckpointManifest;
  try {
    manifest = await readManifest(dir);
  } catch {
    return false;
  }
  if (await fileSize(join(dir, CHECKPOINT_FILES.weights)) !== manifest.byteLength) return false;
  return await fileSize(join(dir, CHECKPOINT_FILES.state)) !== undefined &&
    await fileSize(join(dir, CHECKPOINT_FILES.config)) !== undefined;
}

/** Every `step_*` folder under `root` (complete or not), by ascending step; [] if no root. */
export async function listStepDirs(root: string): Promise<CheckpointEntry[]> {
  const found: CheckpointEntry[] = [];
  try {
    for await (const e of Deno.readDir(root)) {
      const step = parseStepDirName(e.name);
      if (e.isDirectory && step !== undefined) {
        found.push({ step, name: e.name, path: join(root, e.name) });
      }
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw new CheckpointError(`cannot list checkpoint folder ${root}: ${describe(e)}.`);
  }
  return found.sort((a, b) => a.step - b.step);
}

/** The complete checkpoints under `root`, by ascending step ([] when `root` does not exist). */
export async function listCheckpoints(root: string): Promise<CheckpointEntry[]> {
  const all = await listStepDirs(root);
  const complete: CheckpointEntry[] = [];
  for (const entry of all) if (await isCompleteCheckpoint(entry.path)) complete.push(entry);
  return complete;
}

/**
 * The checkpoint to resume from: the folder `<root>/latest` names if it is complete, else the
 * newest complete `step_*` folder; undefined when there is none.
 */
export async function latestCheckpoint(root: string): Promise<string | undefined> {
  let name: string | undefined;
  try {
    name = (await Deno.readTextFile(join(root, LATEST_FILE))).trim();
  } catch {
    name = undefined;
  }
  if (name !== undefined && parseStepDirName(name) !== undefined) {
    const dir = join(root, name);
    if (await isCompleteCheckpoint(dir)) return dir;
  }
  const all = await listCheckpoints(root);
  return all.length > 0 ? all[all.length - 1].path : undefined;
}

/**
 * Reads a checkpoint folder. The arrays of the result are views on one buffer holding
 * `weights.bin`.
 *
 * @throws {CheckpointError} naming the file and what is wrong (missing, truncated, not a
 *   checkpoint, bad JSON).
 */
export async function readCheckpoint(dir: string): Promise<CheckpointContent> {
  const manifest = await readManifest(dir);
  const weightsPath = join(dir, CHECKPOINT_FILES.weights);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(weightsPath);
  } catch (e) {
    throw new CheckpointError(
      `cannot read checkpoint weights ${weightsPath}: ${describe(e)}. The checkpoint is ` +
        `incomplete; resume from another one.`,
    );
  }
  if (bytes.byteLength !== manifest.byteLength) {
    const how = bytes.byteLength < manifest.byteLength ? "truncated" : "too long";
    throw new CheckpointError(
      `checkpoint weights ${weightsPath} are ${how}: ${bytes.byteLength} bytes, the manifest ` +
        `says ${manifest.byteLength}. The save was interrupted or the file was damaged; resume ` +
        `from another checkpoint.`,
    );
  }
  const groups: Record<string, NamedArray[]> = {};
  for (const [group, entries] of Object.entries(manifest.groups)) {
    groups[group] = entries.map((e) => ({
      name: e.name,
      shape: [...e.shape],
      values: float32FromLittleEndian(bytes, e.offset, e.length),
    }));
  }
  const state = await readJson(join(dir, CHECKPOINT_FILES.state), "checkpoint state");
  const configYaml = await readText(join(dir, CHECKPOINT_FILES.config), "checkpoint config");
  return { step: manifest.step, groups, state, configYaml };
}
