/**
 * Reads tfjs model artifacts (model.json + weight shards) from local disk, for
 * `tf.io.fromMemory` (tfjs-node's file:// handler is not available under Deno).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { ModelLoadError } from "./embedder.ts";

/** The parsed model.json plus its weight bytes. */
export interface LocalModelArtifacts {
  /** The model.json as parsed. */
  json: Record<string, unknown>;
  /** Artifacts for `tf.io.fromMemory` / `tf.loadLayersModel` / `loadGraphModel`. */
  artifacts: tf.io.ModelArtifacts;
}

/** Reads a file, turning a missing/unreadable file into a {@linkcode ModelLoadError}. */
export async function readModelFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound ? "not found" : (e as Error).message;
    throw new ModelLoadError(`Cannot read ${what} '${path}': ${reason}.`);
  }
}

/** Reads and parses a JSON file, throwing {@linkcode ModelLoadError} for missing or bad JSON. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const bytes = await readModelFile(path, what);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelLoadError(`${what} '${path}' is not valid JSON: ${(e as Error).message}.`);
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i) || "/";
}

/** Concatenates byte arrays into one ArrayBuffer. */
export function concatBytes(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out.buffer;
}

/** Reads the weight shards a `weightsManifest` names (relative to `dir`) into one buffer. */
export async function readWeightShards(
  manifest: tf.io.WeightsManifestConfig,
  dir: string,
): Promise<{ weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer }> {
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  const files: string[] = [];
  for (const group of manifest) {
    for (const p of group.paths) {
      files.push(`${dir}/${p}`);
      parts.push(await readModelFile(`${dir}/${p}`, "weight shard"));
    }
    weightSpecs.push(...group.weights);
  }
  checkWeightBytes(weightSpecs, files, parts.reduce((n, p) => n + p.byteLength, 0));
  return { weightSpecs, weightData: concatBytes(parts) };
}

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes the manifest's weights need, or null when a dtype's size is not fixed (strings). */
export function expectedWeightBytes(specs: tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const w of specs) {
    const dtype = w.quantization?.dtype ?? w.dtype;
    const size = DTYPE_BYTES[dtype];
    if (size === undefined) return null;
    total += w.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}

/**
 * A weights file shorter than its manifest says (a cut download or copy) would otherwise fail
 * deep inside TF.js as "should have N values": say which file is truncated, and by how much.
 */
function checkWeightBytes(
  specs: tf.io.WeightsManifestEntry[],
  files: string[],
  actual: number,
): void {
  const expected = expectedWeightBytes(specs);
  if (expected === null || actual >= expected) return;
  throw new ModelLoadError(
    `weights file ${files.join(", ")} is truncated: the model.json's manifest needs ` +
      `${expected} bytes for ${specs.length} weights, the file${
        files.length > 1 ? "s hold" : " holds"
      } ` +
      `${actual}. Copy or download the weights file again (or re-export the model).`,
  );
}

/**
 * Reads a tfjs model.json (layers or graph format) and its weight shards from disk.
 * Throws {@linkcode ModelLoadError} for missing files or a JSON that is not a tfjs model.
 */
export async function readLocalModel(modelJsonPath: string): Promise<LocalModelArtifacts> {
  const parsed = await readJsonFile(modelJsonPath, "model JSON");
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ModelLoadError(`model JSON '${modelJsonPath}' is not an object.`);
  }
  const json = parsed as Record<string, unknown>;
  if (json.modelTopology === undefined) {
    throw new ModelLoadError(
      `'${modelJsonPath}' is not a tfjs model.json: it has no 'modelTopology' field.`,
    );
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) {
    throw new ModelLoadError(`'${modelJsonPath}' has no 'weightsManifest' array.`);
  }
  const { weightSpecs, weightData } = await readWeightShards(
    manifest as tf.io.WeightsManifestConfig,
    dirOf(modelJsonPath),
  );
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
    format: json.format as string | undefined,
    generatedBy: json.generatedBy as string | undefined,
    convertedBy: json.convertedBy as string | null | undefined,
    signature: json.signature as tf.io.ModelArtifacts["signature"],
    userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts["userDefinedMetadata"],
    modelInitializer: json.modelInitializer as tf.io.ModelArtifacts["modelInitializer"],
    trainingConfig: json.trainingConfig as tf.io.TrainingConfig | undefined,
    weightSpecs,
    weightData,
  };
  return { json, artifacts };
}

/** True when a model.json is in tfjs-layers format (else graph). */
export function isLayersModelJson(json: Record<string, unknown>): boolean {
  if (json.format === "layers-model") return true;
  if (json.format === "graph-model") return false;
  const topo = json.modelTopology as Record<string, unknown> | undefined;
  if (topo && typeof topo === "object") {
    if ("node" in topo) return false;
    if ("class_name" in topo || "model_config" in topo || "config" in topo) return true;
  }
  return false;
}
