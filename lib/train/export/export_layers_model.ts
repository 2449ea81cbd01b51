/**
 * Exports a trained embedding network as a TF.js layers model (`model.json` + one
 * `weights.bin` shard), readable by `tf.loadLayersModel` and this project's `loadEmbedder`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { basename, dirname, join } from "node:path";
import {
  commitTempDir,
  exists,
  removeQuietly,
  syncDir,
  writeBytesSynced,
} from "../../io/atomic_write.ts";

/** Raised when a model cannot be exported. */
export class ExportError extends Error {
  override name = "ExportError";
}

/** Options of {@linkcode exportLayersModel}. */
export interface ExportLayersModelOptions {
  /**
   * JSON-serialisable facts stored as model.json's `userDefinedMetadata` (merged over the
   * model's own), e.g. `{inputScale: "0-1", channelOrder: "RGB", embeddingSize: 512, step}`.
   */
  metadata?: Record<string, unknown>;
}

/** Name of the model file in an export folder. */
export const MODEL_JSON_FILE = "model.json";
/** Name of the single weight shard in an export folder. */
export const WEIGHTS_FILE = "weights.bin";

/** Refuses to replace anything but an empty folder or an earlier export. */
async function checkReplaceable(dir: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch {
    return;
  }
  const refuse = (why: string) =>
    new ExportError(
      `cannot export the model to ${dir}: ${why}. Choose another folder, or remove it first.`,
    );
  if (!info.isDirectory) throw refuse("it exists and is not a folder");
  let empty = true;
  for await (const _ of Deno.readDir(dir)) {
    empty = false;
    break;
  }
  if (!empty && !(await exists(join(dir, MODEL_JSON_FILE)))) {
    throw refuse(`it is a folder with files but no ${MODEL_JSON_FILE} (not an earlier export)`);
  }
}

/** Writes the artifacts `model.save` hands over as model.json + weights.bin into `dir`. */
async function writeArtifacts(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
  metadata: Record<string, unknown> | undefined,
): Promise<void> {
  const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
  const userDefinedMetadata = metadata === undefined ? artifacts.userDefinedMetadata : {
    ...(artifacts.userDefinedMetadata ?? {}),
    ...metadata,
  } as tf.io.ModelJSON["userDefinedMetadata"];
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON["modelTopology"],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    ...(userDefinedMetadata === undefined ? {} : { userDefinedMetadata }),
  };
  await writeBytesSynced(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
  await writeBytesSynced(
    join(dir, MODEL_JSON_FILE),
    new TextEncoder().encode(JSON.stringify(modelJson) + "\n"),
  );
}

/**
 * Saves `model` (inference graph and weights, no optimiser) as `<dir>/model.json` +
 * `<dir>/weights.bin`, atomically: files go to a temp sibling folder, are fsynced, and the
 * folder is renamed into place; an earlier export in `dir` is set aside first and removed after.
 *
 * @returns the path of model.json.
 * @throws {ExportError} when `dir` holds something other than an earlier export, when the
 *   metadata is not JSON-serialisable, or when writing fails (`dir` is then left as it was).
 */
export async function exportLayersModel(
  model: LayersModel,
  dir: string,
  options: ExportLayersModelOptions = {},
): Promise<string> {
  const { metadata } = options;
  try {
    JSON.stringify(metadata ?? null);
  } catch (e) {
    throw new ExportError(
      `cannot export the model to ${dir}: its metadata is not JSON-serialisable ` +
        `(${(e as Error).message}).`,
    );
  }
  await checkReplaceable(dir);
  const parent = dirname(dir);
  const base = basename(dir);
  const tmp = join(parent, `.${base}.tmp-${Deno.pid}`);
  const aside = join(parent, `.${base}.old-${Deno.pid}`);
  try {
    await Deno.mkdir(parent, { recursive: true });
    await removeQuietly(tmp);
    await Deno.mkdir(tmp);
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      await writeArtifacts(tmp, artifacts, metadata);
      await syncDir(tmp);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }));
    await commitTempDir(tmp, dir, aside);
  } catch (e) {
    await removeQuietly(tmp);
    throw new ExportError(
      `cannot export the model to ${dir}: ${(e as Error).message}. Check free disk space and ` +
        `the permissions of ${parent}, then export again.`,
    );
  }
  return join(dir, MODEL_JSON_FILE);
}
