/**
 * The checkpoint folder format, its types and its error (no TF.js here).
 *
 * A checkpoint is a folder `<root>/step_<8-digit step>/` holding:
 * - `weights.bin`: every float32 array of every group, concatenated, little-endian;
 * - `manifest.json`: {@linkcode CheckpointManifest} (where each array lies in `weights.bin`);
 * - `state.json`: whatever JSON the trainer gives (epoch, data position, RNG, metrics, ...);
 * - `config.yaml`: the resolved config text the trainer gives.
 *
 * `<root>/latest` holds the folder name of the newest good checkpoint.
 *
 * @module
 */

/** Raised for a checkpoint that cannot be written, read or applied. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/** One named float32 array with its shape (row-major). */
export interface NamedArray {
  /** Stable name, e.g. a model weight's `originalName` (`conv1/kernel`). */
  name: string;
  /** Dimensions; `[]` for a scalar. */
  shape: number[];
  /** The values, `product(shape)` of them. */
  values: Float32Array;
}

/** Everything a checkpoint holds. */
export interface CheckpointContent {
  /** Training step (a non-negative integer); names the folder. */
  step: number;
  /** Named groups of arrays, e.g. `model`, `head`, `optimizer`. */
  groups: Record<string, NamedArray[]>;
  /** JSON-serialisable trainer state. */
  state: unknown;
  /** The resolved config as YAML text. */
  configYaml: string;
}

/** Where one array lies in `weights.bin`. */
export interface ManifestEntry {
  /** The array's name. */
  name: string;
  /** Its shape. */
  shape: number[];
  /** Always `float32`. */
  dtype: "float32";
  /** Byte offset in `weights.bin`. */
  offset: number;
  /** Number of elements. */
  length: number;
}

/** The parsed `manifest.json`. */
export interface CheckpointManifest {
  /** Always {@linkcode CHECKPOINT_FORMAT}. */
  format: typeof CHECKPOINT_FORMAT;
  /** Always {@linkcode CHECKPOINT_VERSION}. */
  version: typeof CHECKPOINT_VERSION;
  /** Training step. */
  step: number;
  /** Groups of arrays, in `weights.bin` order. */
  groups: Record<string, ManifestEntry[]>;
  /** Size of `weights.bin` in bytes. */
  byteLength: number;
}

/** `format` field of every manifest. */
export const CHECKPOINT_FORMAT = "arcface-deno-checkpoint";
/** `version` field this code writes and reads. */
export const CHECKPOINT_VERSION = 1;
/** File names inside a checkpoint folder. */
export const CHECKPOINT_FILES = {
  weights: "weights.bin",
  manifest: "manifest.json",
  state: "state.json",
  config: "config.yaml",
} as const;
/** Name of the pointer file in the checkpoint root. */
export const LATEST_FILE = "latest";

const STEP_DIR = /^step_(\d{8,})$/;

/** Folder name of a step: `step_00001234`. */
export function stepDirName(step: number): string {
  return `step_${String(step).padStart(8, "0")}`;
}

/** The step a folder name stands for, or undefined when it is not `step_<digits>`. */
export function parseStepDirName(name: string): number | undefined {
  const m = STEP_DIR.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Number of elements of a shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function isDim(d: unknown): d is number {
  return typeof d === "number" && Number.isInteger(d) && d >= 0;
}

/**
 * Checks a parsed `manifest.json` and returns it typed: format, version, and entries that tile
 * `weights.bin` exactly, in order, with `length` = product of `shape`.
 *
 * @throws {CheckpointError} naming `path` and the first problem found.
 */
export function parseManifest(json: unknown, path: string): CheckpointManifest {
  const bad = (what: string) =>
    new CheckpointError(
      `${path} is not a valid checkpoint manifest: ${what}. The checkpoint is damaged or was ` +
        `not written by this toolkit; resume from another checkpoint.`,
    );
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw bad("not an object");
  const m = json as Record<string, unknown>;
  if (m.format !== CHECKPOINT_FORMAT) {
    throw bad(`'format' is ${JSON.stringify(m.format)}, expected '${CHECKPOINT_FORMAT}'`);
  }
  if (m.version !== CHECKPOINT_VERSION) {
    throw bad(`'version' is ${JSON.stringify(m.version)}; this code reads ${CHECKPOINT_VERSION}`);
  }
  if (!isDim(m.step)) throw bad(`'step' is ${JSON.stringify(m.step)}`);
  if (!isDim(m.byteLength)) throw bad(`'byteLength' is ${JSON.stringify(m.byteLength)}`);
  const groups = m.groups;
  if (groups === null || typeof groups !== "object" || Array.isArray(groups)) {
    throw bad("'groups' is not an object");
  }
  let offset = 0;
  for (const [group, entries] of Object.entries(groups)) {
    if (!Array.isArray(entries)) throw bad(`group '${group}' is not an array`);
    for (const [i, e] of entries.entries()) {
      const where = `group '${group}' entry ${i}`;
      if (e === null || typeof e !== "object") throw bad(`${where} is not an object`);
      const { name, shape, dtype, length } = e as Record<string, unknown>;
      if (typeof name !== "string") throw bad(`${where} has no name`);
      if (!Array.isArray(shape) || !shape.every(isDim)) {
        throw bad(`${where} ('${name}') has shape ${JSON.stringify(shape)}`);
      }
      if (dtype !== "float32") throw bad(`${where} ('${name}') has dtype ${JSON.stringify(dtype)}`);
      if (length !== shapeSize(shape)) {
        throw bad(`${where} ('${name}') has length ${length} but shape [${shape}]`);
      }
      if ((e as Record<string, unknown>).offset !== offset) {
        throw bad(
          `${where} ('${name}') has offset ${(e as Record<string, unknown>).offset}, ` +
            `expected ${offset}`,
        );
      }
      offset += (length as number) * 4;
    }
  }
  if (offset !== m.byteLength) {
    throw bad(`the arrays take ${offset} bytes but 'byteLength' is ${m.byteLength}`);
  }
  return json as CheckpointManifest;
}

/** The bytes of `values` in little-endian order (a view on little-endian hosts, else a copy). */
export function littleEndianBytes(values: Float32Array): Uint8Array {
  const view = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (IS_LITTLE_ENDIAN) return view;
  const out = new Uint8Array(view.length);
  for (let i = 0; i < view.length; i += 4) {
    out[i] = view[i + 3];
    out[i + 1] = view[i + 2];
    out[i + 2] = view[i + 1];
    out[i + 3] = view[i];
  }
  return out;
}

/** Float32 values from little-endian bytes (a view when aligned on a little-endian host). */
export function float32FromLittleEndian(
  bytes: Uint8Array,
  offset: number,
  length: number,
): Float32Array {
  const start = bytes.byteOffset + offset;
  if (IS_LITTLE_ENDIAN && start % 4 === 0) {
    return new Float32Array(bytes.buffer, start, length);
  }
  const dv = new DataView(bytes.buffer, start, length * 4);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
