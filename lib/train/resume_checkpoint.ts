/**
 * Resuming a run: the run folder's latest checkpoint, accepted only when it was made with the
 * same config (keys that do not change the training, {@linkcode RESUME_NEUTRAL_KEYS}, aside).
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { diffConfigs, parseConfig, RESUME_NEUTRAL_KEYS, type TrainConfig } from "../config/mod.ts";
import { loadLatestCheckpoint } from "./replica_checkpoint.ts";

/** Raised when the run folder's checkpoint was made with a different config. */
export class CheckpointMismatchError extends Error {
  override name = "CheckpointMismatchError";
}

/** A checkpoint to resume from, as {@linkcode loadLatestCheckpoint} reads it. */
export type ResumeCheckpoint = NonNullable<Awaited<ReturnType<typeof loadLatestCheckpoint>>>;

/**
 * The latest checkpoint of `runDir` to resume `config` from, or undefined when there is none.
 *
 * @throws {CheckpointMismatchError} the checkpoint's config differs from `config` (the keys that
 *   differ are named, with both values).
 */
export async function loadResumeCheckpoint(
  runDir: string,
  config: TrainConfig,
): Promise<ResumeCheckpoint | undefined> {
  const ckpt = await loadLatestCheckpoint(runDir);
  if (!ckpt) return undefined;
  const old = parseConfig(parseYaml(ckpt.configYaml), { source: join(ckpt.dir, "config.yaml") });
  const diff = diffConfigs(old, config, { ignore: RESUME_NEUTRAL_KEYS });
  if (diff.length > 0) {
    throw new CheckpointMismatchError(
      `${ckpt.dir} was made with a different config: ` +
        diff.map((d) => `${d.key}: ${JSON.stringify(d.a)} there, ${JSON.stringify(d.b)} now`)
          .join("; ") +
        `. Use another sub_name for a new run, or restore these values to resume.`,
    );
  }
  return ckpt;
}
