/**
 * Opening a TensorFlow checkpoint (tensor bundle) and reading its tensors one at a time.
 *
 * `openCheckpoint` reads only the `.index` (a LevelDB table of `BundleEntryProto`s) and, when its
 * shard is present, the `_CHECKPOINTABLE_OBJECT_GRAPH` entry; `readTensor` opens the tensor's
 * shard, seeks to its offset and reads exactly its bytes (a 300 MB shard is never read whole),
 * then checks the masked CRC32C the index stores.
 *
 * @module
 */
import { basename } from "node:path";
import { isFile, resolveCheckpointPrefix, shardPath } from "./checkpoint_path.ts";
import {
  type BundleEntry,
  type BundleHeader,
  decodeEntry,
  decodeHeader,
  SlicedEntryError,
} from "./bundle_proto.ts";
import { TfCheckpointError } from "./errors.ts";
import { readTable } from "./leveldb_table.ts";
import { decodeObjectGraph, objectPaths, type TrackableObjectGraph } from "./object_graph.ts";
import {
  decodeTensor,
  elementCount,
  TensorCodecError,
  tensorCrc,
  type TensorData,
} from "./tensor_codec.ts";
import { type CheckpointVariable, classifyVariables, OBJECT_GRAPH_KEY } from "./variables.ts";

/** An opened checkpoint: its index, decoded; no weights read. */
export interface TfCheckpoint {
  /** e.g. ".../e_8_b_40000.ckpt" or ".../variables/variables". */
  prefix: string;
  /** Number of data shards. */
  numShards: number;
  /** Sorted by key, header ("") excluded. */
  entries: BundleEntry[];
  /** Every entry but the object graph, with its object path and kind. */
  variables: CheckpointVariable[];
  /** The bundle header as stored. */
  header: BundleHeader;
  /** The decoded object graph; undefined when the checkpoint has none or its shard is absent. */
  objectGraph?: TrackableObjectGraph;
}

/**
 * Open a checkpoint: a prefix ("x.ckpt"), its ".index" file, a folder with TF's "checkpoint"
 * state file, or a SavedModel folder (variables/variables.index). Reads only the index (+ the
 * object graph entry, when its shard is present); never the weights.
 */
export async function openCheckpoint(path: string): Promise<TfCheckpoint> {
  const prefix = await resolveCheckpointPrefix(path);
  const indexFile = `${prefix}.index`;
  const rows = readTable(await Deno.readFile(indexFile), indexFile);
  const dec = new TextDecoder();
  const bad = (what: string) =>
    new TfCheckpointError(
      `checkpoint index ${indexFile}: ${what}; copy the checkpoint again`,
      "format",
      indexFile,
    );
  if (!rows.length || rows[0].key.length !== 0) throw bad('no header entry (key "")');
  let header: BundleHeader;
  const entries: BundleEntry[] = [];
  try {
    header = decodeHeader(rows[0].value);
    for (const row of rows.slice(1)) entries.push(decodeEntry(dec.decode(row.key), row.value));
  } catch (e) {
    if (e instanceof SlicedEntryError) {
      throw new TfCheckpointError(
        `checkpoint index ${indexFile}: ${e.message}; sliced tensors are not supported: ` +
          "re-save the variable unpartitioned",
        "unsupported",
        indexFile,
      );
    }
    throw bad(`an entry does not decode (${(e as Error).message})`);
  }
  if (header.endianness !== 0) {
    throw new TfCheckpointError(
      `checkpoint ${indexFile} was written big-endian; only little-endian bundles are read`,
      "unsupported",
      indexFile,
    );
  }
  for (const e of entries) {
    if (e.shardId >= header.numShards) {
      throw bad(`entry '${e.key}' names shard ${e.shardId} of ${header.numShards}`);
    }
  }
  const ckpt: TfCheckpoint = {
    prefix,
    numShards: header.numShards,
    entries,
    variables: [],
    header,
  };
  const graphEntry = entries.find((e) => e.key === OBJECT_GRAPH_KEY);
  if (graphEntry && (await isFile(shardPath(prefix, graphEntry.shardId, header.numShards)))) {
    const raw = await readEntryBytes(ckpt, graphEntry);
    let crc: number;
    try {
      crc = tensorCrc("string", raw, 1);
    } catch (e) {
      throw bad(`its object graph entry is not a string tensor (${(e as Error).message})`);
    }
    if (crc !== graphEntry.crc32c) throw crcError(ckpt, graphEntry, crc);
    try {
      ckpt.objectGraph = decodeObjectGraph(stringScalarBytes(raw));
    } catch (e) {
      throw bad(`its object graph does not decode (${(e as Error).message})`);
    }
  }
  ckpt.variables = classifyVariables(entries, ckpt.objectGraph);
  return ckpt;
}

// The bytes of a scalar string tensor (the object graph is binary, not UTF-8 text).
function stringScalarBytes(raw: Uint8Array): Uint8Array {
  let pos = 0, n = 0, mul = 1;
  while (raw[pos] & 0x80) n += (raw[pos++] & 0x7f) * mul, mul *= 128;
  n += raw[pos++] * mul;
  return raw.subarray(pos + 4, pos + 4 + n);
}

const byKey = new WeakMap<TfCheckpoint, Map<string, BundleEntry>>();

/**
 * The entry of `key`: a bundle key, a variable's object path, or (with the object graph) any
 * other path to the variable's node: a SavedModel's `variables/N` / `trainable_variables/N`
 * lists (Keras 3 exports key its variables by `variables/N` itself). Undefined when absent.
 */
export function findEntry(ckpt: TfCheckpoint, key: string): BundleEntry | undefined {
  let m = byKey.get(ckpt);
  if (!m) {
    m = new Map(ckpt.entries.map((e) => [e.key, e]));
    for (const v of ckpt.variables) if (!m.has(v.path)) m.set(v.path, v.entry);
    const g = ckpt.objectGraph;
    if (g) {
      // One edge past each node's own path: the aliases a list of variables gives.
      const paths = objectPaths(g);
      g.nodes.forEach((node, id) => {
        if (paths[id] === undefined) return;
        for (const c of node.children) {
          const k = g.nodes[c.nodeId]?.attributes.find((a) => a.name === "VARIABLE_VALUE")
            ?.checkpointKey;
          const entry = k ? m!.get(k) : undefined;
          const alias = paths[id] ? `${paths[id]}/${c.localName}` : c.localName;
          if (entry && !m!.has(alias)) m!.set(alias, entry);
        }
      });
    }
    byKey.set(ckpt, m);
  }
  return m.get(key);
}

/** Reads exactly an entry's bytes from its shard (no CRC check); errors name the shard. */
async function readEntryBytes(ckpt: TfCheckpoint, entry: BundleEntry): Promise<Uint8Array> {
  const file = shardPath(ckpt.prefix, entry.shardId, ckpt.numShards);
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    const present = [basename(`${ckpt.prefix}.index`)];
    for (let k = 0; k < ckpt.numShards; k++) {
      const shard = shardPath(ckpt.prefix, k, ckpt.numShards);
      if (await isFile(shard)) present.push(basename(shard));
    }
    const holds = present.length > 1 && ckpt.objectGraph
      ? "the index and the object graph"
      : "the index";
    const all = `${basename(ckpt.prefix)}.data-*-of-${String(ckpt.numShards).padStart(5, "0")}`;
    throw new TfCheckpointError(
      `shard file ${file} is missing: tensor '${entry.key}' is in shard ${entry.shardId} of ` +
        `${ckpt.numShards}, but only ${present.join(", ")} ${
          present.length === 1 ? "is" : "are"
        } here (${holds}, not the ` +
        `weights); copy every ${all} file beside the .index`,
      "missing-shard",
      file,
    );
  }
  try {
    const size = (await f.stat()).size;
    if (entry.offset + entry.size > size) {
      throw new TfCheckpointError(
        `shard file ${file} is truncated: tensor '${entry.key}' needs bytes ${entry.offset}..` +
          `${entry.offset + entry.size} but the file has ${size}; copy the shard again`,
        "truncated",
        file,
      );
    }
    await f.seek(entry.offset, Deno.SeekMode.Start);
    const buf = new Uint8Array(entry.size);
    let done = 0;
    while (done < buf.length) {
      const n = await f.read(buf.subarray(done));
      if (n === null) break;
      done += n;
    }
    if (done < buf.length) {
      throw new TfCheckpointError(
        `shard file ${file} ended after ${entry.offset + done} bytes while reading tensor ` +
          `'${entry.key}' (offset ${entry.offset}, ${entry.size} bytes); copy the shard again`,
        "truncated",
        file,
      );
    }
    return buf;
  } finally {
    f.close();
  }
}

function crcError(ckpt: TfCheckpoint, entry: BundleEntry, crc: number): TfCheckpointError {
  const file = shardPath(ckpt.prefix, entry.shardId, ckpt.numShards);
  const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;
  return new TfCheckpointError(
    `shard file ${file}: CRC mismatch for tensor '${entry.key}' at offset ${entry.offset} ` +
      `(${entry.size} bytes; index says ${hex(entry.crc32c)}, bytes give ${hex(crc)}); the ` +
      "shard is corrupted: copy it again",
    "crc",
    file,
  );
}

/**
 * One tensor's values, read from its shard at its offset (streamed: never reads a whole shard),
 * CRC32C checked. float32/float16 -> Float32Array, int32 -> Int32Array, int64 -> BigInt64Array,
 * bool -> Uint8Array, string -> string[]. `key` is a bundle key or a variable's object path.
 */
export async function readTensor(ckpt: TfCheckpoint, key: string): Promise<TensorData> {
  const entry = findEntry(ckpt, key);
  if (!entry) {
    throw new TfCheckpointError(
      `checkpoint ${ckpt.prefix} has no tensor '${key}'; list its keys with ` +
        `deno task inspect-ckpt ${ckpt.prefix}`,
      "key",
      `${ckpt.prefix}.index`,
    );
  }
  const file = shardPath(ckpt.prefix, entry.shardId, ckpt.numShards);
  const bytes = await readEntryBytes(ckpt, entry);
  const count = elementCount(entry.shape);
  try {
    const crc = tensorCrc(entry.dtype, bytes, count);
    if (crc !== entry.crc32c) throw crcError(ckpt, entry, crc);
    return decodeTensor(entry.dtype, entry.shape, bytes);
  } catch (e) {
    if (!(e instanceof TensorCodecError)) throw e;
    const kind = /dtype .* not read/.test(e.message) ? "unsupported" : "format";
    throw new TfCheckpointError(
      `shard file ${file}: tensor '${entry.key}' (${entry.dtype} [${entry.shape.join(", ")}] at ` +
        `offset ${entry.offset}): ${e.message}` +
        (kind === "format" ? "; the shard is corrupted: copy it again" : ""),
      kind,
      file,
    );
  }
}
