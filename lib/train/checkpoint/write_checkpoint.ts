/**
 * Writing a checkpoint atomically: temp folder -> fsync -> rename -> `latest` -> prune.
 *
 * A crash at any point leaves either the previous checkpoint or the new one as `latest`, both
 * complete; leftovers of a crashed save (`.step_*.tmp-*`, `.step_*.old-*`) are cleaned up by the
 * next save. One process at a time may write to a root.
 *
 * @module
 */
import { basename, join } from "node:path";
import {
  CHECKPOINT_FILES,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointContent,
  CheckpointError,
  type CheckpointManifest,
  LATEST_FILE,
  littleEndianBytes,
  type ManifestEntry,
  shapeSize,
  stepDirName,
} from "./format.ts";
import { isCompleteCheckpoint, latestCheckpoint, listStepDirs } from "./read_checkpoint.ts";
import {
  commitTempDir,
  exists,
  removeQuietly,
  syncDir,
  writeFileAtomic,
  writeSynced,
} from "../../io/atomic_write.ts";
import { isProcessAlive, tempPid } from "../../io/stale_temps.ts";

/** Options of {@linkcode writeCheckpoint}. */
export interface WriteCheckpointOptions {
  /** How many checkpoints to keep, the new one included (default 3; `Infinity`: all). */
  keep?: number;
}

const LEFTOVER = /^\.(step_\d{8,})\.(tmp|old)-\d+$/;
const LATEST_LEFTOVER = /^\.latest\.tmp-\d+$/;
const CHUNK_BYTES = 4 << 20;

function checkContent(content: CheckpointContent): { manifest: CheckpointManifest; state: string } {
  const bad = (what: string) =>
    new CheckpointError(`cannot save checkpoint step ${content.step}: ${what}.`);
  const { step } = content;
  if (!Number.isSafeInteger(step) || step < 0) {
    throw bad(`the step must be a non-negative integer`);
  }
  if (typeof content.configYaml !== "string") throw bad("configYaml is not a string");
  const groups: Record<string, ManifestEntry[]> = {};
  let offset = 0;
  for (const [group, arrays] of Object.entries(content.groups)) {
    const seen = new Set<string>();
    groups[group] = arrays.map((a, i) => {
      const where = `group '${group}' array ${i} ('${a.name}')`;
      if (typeof a.name !== "string" || seen.has(a.name)) {
        throw bad(`${where} has a missing or repeated name`);
      }
      seen.add(a.name);
      if (!a.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw bad(`${where} has an invalid shape [${a.shape}]`);
      }
      const length = shapeSize(a.shape);
      if (!(a.values instanceof Float32Array) || a.values.length !== length) {
        throw bad(`${where} has ${a.values?.length} values (need a Float32Array of ${length})`);
      }
      const entry: ManifestEntry = {
        name: a.name,
        shape: [...a.shape],
        dtype: "float32",
        offset,
        length,
      };
      offset += length * 4;
      return entry;
    });
  }
  let state: string | undefined;
  try {
    state = JSON.stringify(content.state ?? null, null, 2);
  } catch (e) {
    throw bad(`the state is not JSON-serialisable (${(e as Error).message})`);
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step,
    groups,
    byteLength: offset,
  };
  return { manifest, state: state ?? "null" };
}

async function writeTextSynced(path: string, text: string): Promise<void> {
  await writeSynced(path, (write) => write(new TextEncoder().encode(text)));
}

/** Streams every array of every group into `path`, in manifest order, in ~4 MiB writes. */
async function writeWeights(path: string, content: CheckpointContent): Promise<void> {
  await writeSynced(path, async (write) => {
    const chunk = new Uint8Array(CHUNK_BYTES);
    let used = 0;
    for (const arrays of Object.values(content.groups)) {
      for (const a of arrays) {
        const bytes = littleEndianBytes(a.values);
        if (used + bytes.length > chunk.length) {
          await write(chunk.subarray(0, used));
          used = 0;
        }
        if (bytes.length >= chunk.length) {
          await write(bytes);
        } else {
          chunk.set(bytes, used);
          used += bytes.length;
        }
      }
    }
    if (used > 0) await write(chunk.subarray(0, used));
  });
}

/**
 * Removes leftovers of crashed saves: temp folders, and folders set aside while replacing a
 * step, unless the step itself is missing (then the set-aside folder is put back). A leftover
 * whose PID is another live process is that process's save in progress: left alone.
 */
async function cleanLeftovers(root: string): Promise<void> {
  const names: string[] = [];
  for await (const e of Deno.readDir(root)) {
    const pid = tempPid(e.name);
    if (pid !== null && pid !== Deno.pid && await isProcessAlive(pid)) continue;
    if (LEFTOVER.test(e.name)) names.push(e.name);
    else if (LATEST_LEFTOVER.test(e.name)) await removeQuietly(join(root, e.name));
  }
  for (const name of names.sort()) {
    const [, stepDir, kind] = LEFTOVER.exec(name)!;
    const path = join(root, name);
    if (
      kind === "old" && !(await exists(join(root, stepDir))) && await isCompleteCheckpoint(path)
    ) {
      await Deno.rename(path, join(root, stepDir));
    } else {
      await removeQuietly(path);
    }
  }
}

/** Removes all but the newest `keep - 1` complete checkpoints besides `kept` (best effort). */
async function prune(root: string, kept: string, keep: number): Promise<void> {
  if (keep === Infinity) return;
  const others = (await listStepDirs(root)).filter((e) => e.name !== kept).reverse();
  let left = keep - 1;
  for (const e of others) {
    if (left > 0 && await isCompleteCheckpoint(e.path)) {
      left--;
    } else {
      await removeQuietly(e.path);
    }
  }
}

/**
 * Writes `content` as `<root>/step_<step>/` (see `format.ts`) and points `<root>/latest` at it.
 *
 * Files go to `<root>/.step_<n>.tmp-<pid>/`, are fsynced, and the folder is renamed into place
 * (an existing folder of the same step is set aside first and removed after). `latest` is
 * replaced through a temp file + rename. Then only the newest `keep` checkpoints are kept (never
 * removing the new one; removal failures are retried at the next save).
 *
 * @returns the new checkpoint folder.
 * @throws {CheckpointError} for invalid content, or when the save fails (e.g. disk full): the
 *   temp folder is removed and `latest` still names the previous checkpoint.
 */
export async function writeCheckpoint(
  root: string,
  content: CheckpointContent,
  options: WriteCheckpointOptions = {},
): Promise<string> {
  const keep = options.keep ?? 3;
  if (!(keep === Infinity || (Number.isInteger(keep) && keep >= 1))) {
    throw new CheckpointError(`invalid keep ${keep}: give a positive integer (or Infinity).`);
  }
  const { manifest, state } = checkContent(content);
  const name = stepDirName(content.step);
  const final = join(root, name);
  const tmp = join(root, `.${name}.tmp-${Deno.pid}`);
  const aside = join(root, `.${name}.old-${Deno.pid}`);
  const latestTmp = join(root, `.${LATEST_FILE}.tmp-${Deno.pid}`);
  let previous: string | undefined;
  let renamed = false;
  try {
    await Deno.mkdir(root, { recursive: true });
    await cleanLeftovers(root);
    await removeQuietly(latestTmp);
    previous = await latestCheckpoint(root);
    await Deno.mkdir(tmp);
    await writeWeights(join(tmp, CHECKPOINT_FILES.weights), content);
    await writeTextSynced(join(tmp, CHECKPOINT_FILES.state), state + "\n");
    await writeTextSynced(join(tmp, CHECKPOINT_FILES.config), content.configYaml);
    await writeTextSynced(
      join(tmp, CHECKPOINT_FILES.manifest),
      JSON.stringify(manifest, null, 1) + "\n",
    );
    await syncDir(tmp);
    await commitTempDir(tmp, final, aside);
    renamed = true;
    await writeFileAtomic(join(root, LATEST_FILE), name + "\n", { tempPath: latestTmp });
  } catch (e) {
    await removeQuietly(tmp);
    await removeQuietly(latestTmp);
    const cause = e instanceof Error ? e.message : String(e);
    const kept = previous === undefined
      ? "there was no previous checkpoint"
      : `the previous checkpoint ${basename(previous)} is intact and still 'latest'`;
    const newOne = renamed ? ` (${final} was written but is not 'latest')` : "";
    throw new CheckpointError(
      `could not save checkpoint step ${content.step} to ${final}: ${cause}${newOne}; ${kept}. ` +
        `Free disk space or fix the permissions of ${root}, then save again.`,
    );
  }
  try {
    await prune(root, name, keep);
  } catch {
    // The new checkpoint is saved; pruning is retried at the next save.
  }
  return final;
}
