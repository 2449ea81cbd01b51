/**
 * Where a TensorFlow checkpoint's files are: the prefix a user's path names (the prefix, its
 * `.index`, a data file, a folder with TF's `checkpoint` state file, a SavedModel folder) and
 * the data file of each shard.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join } from "node:path";
import { TfCheckpointError } from "./errors.ts";
import { fileSize } from "../../io/file_size.ts";

/** The data file of shard `shardId` of `numShards`: `<prefix>.data-0000K-of-0000N`. */
export function shardPath(prefix: string, shardId: number, numShards: number): string {
  const pad = (n: number) => String(n).padStart(5, "0");
  return `${prefix}.data-${pad(shardId)}-of-${pad(numShards)}`;
}

/** Whether `path` is a regular file (a shard or index the checkpoint needs is there). */
export async function isFile(path: string): Promise<boolean> {
  return (await fileSize(path)) !== undefined;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

// TF's checkpoint-state text file: model_checkpoint_path: "name" (relative to its folder).
async function prefixFromStateFile(dir: string): Promise<string | undefined> {
  const state = join(dir, "checkpoint");
  if (!(await isFile(state))) return undefined;
  const m = /^\s*model_checkpoint_path:\s*"((?:[^"\\]|\\.)*)"/m.exec(
    await Deno.readTextFile(state),
  );
  if (!m) return undefined;
  const p = m[1].replace(/\\(.)/g, "$1");
  return isAbsolute(p) ? p : join(dir, p);
}

/**
 * The checkpoint prefix `path` names: a prefix ("x.ckpt"), its ".index" or a data file, a folder with
 * TF's "checkpoint" state file, or a SavedModel folder (variables/variables.index). Throws
 * {@linkcode TfCheckpointError} ("not-found") listing the files looked for.
 */
export async function resolveCheckpointPrefix(path: string): Promise<string> {
  const looked: string[] = [];
  const tryPrefix = async (prefix: string) => {
    looked.push(`${prefix}.index`);
    return (await isFile(`${prefix}.index`)) ? prefix : undefined;
  };
  if (path.endsWith(".index") && (await isFile(path))) return path.slice(0, -".index".length);
  // One of its data files (x.ckpt.data-00000-of-00002) names the prefix too.
  const shard = /^(.+)\.data-\d{5}-of-\d{5}$/.exec(path);
  if (shard && (await isFile(`${shard[1]}.index`))) return shard[1];
  if (await isDir(path)) {
    const fromState = await prefixFromStateFile(path);
    if (fromState) {
      const p = await tryPrefix(fromState);
      if (p) return p;
    } else looked.push(`${join(path, "checkpoint")} (TF's checkpoint state file)`);
    for (const candidate of [join(path, "variables", "variables"), join(path, "variables")]) {
      const p = await tryPrefix(candidate);
      if (p) return p;
    }
  } else {
    const p = await tryPrefix(path.endsWith(".index") ? path.slice(0, -6) : path);
    if (p) return p;
  }
  const dataFiles: string[] = [];
  try {
    const dir = dirname(path), base = basename(path);
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(`${base}.data-`)) dataFiles.push(e.name);
    }
  } catch { /* the folder itself is missing */ }
  const hint = dataFiles.length
    ? `; only its data file(s) ${dataFiles.join(", ")} are there: copy the .index too`
    : "; give a checkpoint prefix (x.ckpt, as in TF's 'checkpoint' file), its .index, the folder " +
      "holding TF's 'checkpoint' file, or a SavedModel folder";
  throw new TfCheckpointError(
    `no TensorFlow checkpoint at ${path}: looked for ${looked.join(", ")}${hint}`,
    "not-found",
    path,
  );
}
