/**
 * Writing a TensorFlow checkpoint (tensor bundle): `<prefix>.index` plus
 * `<prefix>.data-0000K-of-0000N`, laid out as TensorFlow's BundleWriter does (tensors packed
 * back to back, alignment 1, TF's default; the index a LevelDB table with TF's default options:
 * uncompressed, restart interval 16, block size 256 KiB, as the fixtures' indexes confirm byte for
 * byte). Every file is written atomically (lib/io/atomic_write.ts).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { withAtomicFile, writeFileAtomic } from "../../io/atomic_write.ts";
import {
  type BundleEntry,
  type BundleHeader,
  encodeEntry,
  encodeHeader,
  type TfDtype,
} from "./bundle_proto.ts";
import { shardPath } from "./checkpoint_path.ts";
import { TfCheckpointError } from "./errors.ts";
import { buildTable, type TableEntry, type TableOptions } from "./leveldb_table.ts";
import {
  encodeStringBytes,
  encodeTensor,
  TensorCodecError,
  tensorCrc,
  type TensorData,
} from "./tensor_codec.ts";
import { OBJECT_GRAPH_KEY } from "./variables.ts";

/** One tensor to write. */
export interface CheckpointTensor {
  /** Bundle key, e.g. "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE". */
  key: string;
  /** Element type. */
  dtype: TfDtype;
  /** Dimensions ([] for a scalar). */
  shape: number[];
  /** Values (float16 given as Float32Array, bool as 0/1 Uint8Array). */
  data: TensorData;
  /** Shard to put it in (default: tensors spread over the shards in order). */
  shardId?: number;
}

/** Options of {@linkcode writeCheckpoint}. */
export interface WriteCheckpointOptions {
  /** Number of data shards (default 1). */
  numShards?: number;
  /** A serialised TrackableObjectGraph, stored as `_CHECKPOINTABLE_OBJECT_GRAPH` in shard 0. */
  objectGraph?: Uint8Array;
}

const utf8 = new TextEncoder();

/**
 * Encodes a bundle index: the header under key "" then every entry, sorted by key, as a table
 * (TensorFlow's defaults unless `table` says otherwise).
 */
export function encodeBundleIndex(
  header: BundleHeader,
  entries: readonly BundleEntry[],
  table: TableOptions = {},
): Uint8Array {
  const rows: TableEntry[] = entries.map((e) => ({
    key: utf8.encode(e.key),
    value: encodeEntry(e),
  }));
  rows.sort((a, b) => compareBytes(a.key, b.key));
  return buildTable([{ key: new Uint8Array(0), value: encodeHeader(header) }, ...rows], table);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Write a checkpoint (index + data shards) TensorFlow can read. */
export async function writeCheckpoint(
  prefix: string,
  tensors: CheckpointTensor[],
  options: WriteCheckpointOptions = {},
): Promise<void> {
  const numShards = options.numShards ?? 1;
  const fail = (what: string) =>
    new TfCheckpointError(`cannot write checkpoint ${prefix}: ${what}`, "write", `${prefix}.index`);
  if (!Number.isInteger(numShards) || numShards < 1) {
    throw fail(`numShards must be an integer >= 1, got ${numShards}`);
  }
  const seen = new Set<string>();
  const perShard: { key: string; dtype: TfDtype; shape: number[]; bytes: Uint8Array }[][] = Array
    .from({ length: numShards }, () => []);
  tensors.forEach((t, i) => {
    if (!t.key || t.key === OBJECT_GRAPH_KEY) {
      throw fail(`tensor ${i} has the reserved key '${t.key}'`);
    }
    if (seen.has(t.key)) throw fail(`key '${t.key}' is given twice`);
    seen.add(t.key);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw fail(`tensor '${t.key}' has a bad shape [${t.shape.join(", ")}]`);
    }
    const shard = t.shardId ?? Math.floor((i * numShards) / tensors.length);
    if (!Number.isInteger(shard) || shard < 0 || shard >= numShards) {
      throw fail(`tensor '${t.key}' asks for shard ${t.shardId} of ${numShards}`);
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeTensor(t.dtype, t.shape, t.data);
    } catch (e) {
      if (e instanceof TensorCodecError) throw fail(`tensor '${t.key}': ${e.message}`);
      throw e;
    }
    perShard[shard].push({ key: t.key, dtype: t.dtype, shape: t.shape, bytes });
  });
  if (options.objectGraph) {
    // Keras' save_weights puts the object graph last in the first (CPU) shard.
    perShard[0].push({
      key: OBJECT_GRAPH_KEY,
      dtype: "string",
      shape: [],
      bytes: encodeStringBytes([options.objectGraph]),
    });
  }
  await Deno.mkdir(dirname(prefix), { recursive: true });
  const entries: BundleEntry[] = [];
  for (let shardId = 0; shardId < numShards; shardId++) {
    let offset = 0;
    for (const t of perShard[shardId]) {
      entries.push({
        key: t.key,
        dtype: t.dtype,
        shape: t.shape,
        shardId,
        offset,
        size: t.bytes.length,
        crc32c: tensorCrc(t.dtype, t.bytes, t.shape.reduce((a, b) => a * b, 1)),
      });
      offset += t.bytes.length;
    }
    await withAtomicFile(shardPath(prefix, shardId, numShards), async (f) => {
      for (const t of perShard[shardId]) {
        let done = 0;
        while (done < t.bytes.length) done += await f.write(t.bytes.subarray(done));
      }
    });
  }
  const header: BundleHeader = {
    numShards,
    endianness: 0,
    version: { producer: 1, minConsumer: 0, badConsumers: [] },
  };
  const index = encodeBundleIndex(header, entries);
  await withAtomicFile(`${prefix}.index`, async (f) => {
    let done = 0;
    while (done < index.length) done += await f.write(index.subarray(done));
  });
}

/**
 * The text of TF's checkpoint-state file (`CheckpointState` as text proto) naming `prefix` as
 * the latest checkpoint of its folder, as `model.save_weights` writes it beside the checkpoint:
 * `tf.train.latest_checkpoint(folder)` (what arcface-tf2's train.py and test.py call) needs it.
 */
export function checkpointStateText(prefix: string): string {
  const name = basename(prefix).replace(/[\\"]/g, (c) => `\\${c}`);
  return `model_checkpoint_path: "${name}"\nall_model_checkpoint_paths: "${name}"\n`;
}

/**
 * Writes (atomically; replacing one there, as TensorFlow does) the `checkpoint` state file beside
 * `prefix` naming it the folder's latest checkpoint; returns the file's path.
 */
export async function writeCheckpointState(prefix: string): Promise<string> {
  const file = join(dirname(prefix), "checkpoint");
  await writeFileAtomic(file, checkpointStateText(prefix));
  return file;
}
