/**
 * What a TensorFlow checkpoint holds, as rows (what `deno task inspect-ckpt` renders): the
 * prefix, its shards (present or missing, bytes), entry count, total bytes, whether the object
 * graph was decoded; one row per model variable (object path, dtype, shape, bytes); optimizer
 * slots grouped by slot kind ("momentum": count, bytes); optimizer scalars and other state as
 * rows. Works from the index alone: a missing shard only leaves scalar values out.
 *
 * @module
 */
import { fileSize } from "../../io/file_size.ts";
import { elementCount } from "./tensor_codec.ts";
import { shardPath } from "./checkpoint_path.ts";
import { openCheckpoint, readTensor, type TfCheckpoint } from "./checkpoint_reader.ts";
import { TfCheckpointError } from "./errors.ts";
import { OBJECT_GRAPH_KEY } from "./variables.ts";

/** One shard's data file. */
export interface ShardFile {
  /** `<prefix>.data-0000K-of-0000N`. */
  file: string;
  /** Whether the file is there. */
  present: boolean;
  /** Its size on disk (present files only). */
  bytes?: number;
  /** Bytes the index places in it (end of its last tensor). */
  indexedBytes: number;
  /** Entries the index places in it. */
  entries: number;
}

/** One checkpoint entry as a listing row. */
export interface ListingRow {
  /** Object path (key without "/.ATTRIBUTES/VARIABLE_VALUE"); the bundle key for the graph. */
  key: string;
  /** "model" variable, optimizer "slot", "optimizer" scalar, "other" state, or the object "graph". */
  kind: "model" | "slot" | "optimizer" | "other" | "graph";
  /** Element type. */
  dtype: string;
  /** Dimensions ([] for a scalar). */
  shape: number[];
  /** Bytes in its shard. */
  bytes: number;
  /** Shard index. */
  shard: number;
  /** A slot's name ("momentum", "m", "v"). */
  slotName?: string;
  /** A slot's variable (object path). */
  slotOf?: string;
  /** A scalar's value, when its shard is present (optimizer iter, learning_rate, ...). */
  value?: string;
}

/** Optimizer slots of one kind, summed. */
export interface SlotGroup {
  /** Slot name, e.g. "momentum". */
  slotName: string;
  /** Number of slot variables. */
  count: number;
  /** Their bytes together. */
  bytes: number;
}

/** What {@linkcode listCheckpoint} returns. */
export interface CheckpointListing {
  /** Checkpoint prefix (`x.ckpt`, `.../variables/variables`). */
  prefix: string;
  /** The `.index` file and its size. */
  index: { file: string; bytes: number };
  /** Every data shard the header names. */
  shards: ShardFile[];
  /** Index entries, the object graph included (the header `""` not). */
  entryCount: number;
  /** Bytes of all entries together. */
  totalBytes: number;
  /** "decoded", "missing-shard" (its entry is in an absent shard) or "absent" (no entry). */
  objectGraph: "decoded" | "missing-shard" | "absent";
  /** Counts by kind. */
  counts: Record<ListingRow["kind"], number>;
  /** Model variables (with `all`: every entry, in key order). */
  rows: ListingRow[];
  /** Optimizer slots grouped by slot name, in order of first appearance. */
  slotGroups: SlotGroup[];
  /** Optimizer scalars and other state (metrics, save counter): always listed. */
  scalars: ListingRow[];
}

/** Options of {@linkcode listCheckpoint}. */
export interface ListCheckpointOptions {
  /** List every entry (slots, optimizer, other, the object graph) in `rows`, not only the model's. */
  all?: boolean;
}

/**
 * Lists a checkpoint (a path as {@linkcode openCheckpoint} takes it, or an opened one) from its
 * index: never reads weights; reads scalar optimizer / other entries whose shard is present to
 * show their values (an unreadable one shows its error kind, e.g. "(crc)").
 */
export async function listCheckpoint(
  checkpoint: string | TfCheckpoint,
  options: ListCheckpointOptions = {},
): Promise<CheckpointListing> {
  const ckpt = typeof checkpoint === "string" ? await openCheckpoint(checkpoint) : checkpoint;
  const indexFile = `${ckpt.prefix}.index`;
  const shards: ShardFile[] = [];
  for (let k = 0; k < ckpt.numShards; k++) {
    const file = shardPath(ckpt.prefix, k, ckpt.numShards);
    const bytes = await fileSize(file);
    const inShard = ckpt.entries.filter((e) => e.shardId === k);
    shards.push({
      file,
      present: bytes !== undefined,
      bytes,
      indexedBytes: inShard.reduce((m, e) => Math.max(m, e.offset + e.size), 0),
      entries: inShard.length,
    });
  }
  const graphEntry = ckpt.entries.find((e) => e.key === OBJECT_GRAPH_KEY);
  const all: ListingRow[] = ckpt.variables.map((v) => ({
    key: v.path,
    kind: v.kind,
    dtype: v.entry.dtype,
    shape: v.entry.shape,
    bytes: v.entry.size,
    shard: v.entry.shardId,
    ...(v.slotName !== undefined ? { slotName: v.slotName, slotOf: v.slotOf } : {}),
  }));
  if (graphEntry) {
    all.push({
      key: graphEntry.key,
      kind: "graph",
      dtype: graphEntry.dtype,
      shape: graphEntry.shape,
      bytes: graphEntry.size,
      shard: graphEntry.shardId,
    });
  }
  all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const scalars = all.filter((r) => r.kind === "optimizer" || r.kind === "other");
  for (const r of scalars) {
    if (elementCount(r.shape) !== 1 || !shards[r.shard]?.present) continue;
    try {
      const v = (await readTensor(ckpt, r.key))[0];
      // float32 / float16 to the digits they hold (0.9, not 0.8999999761581421).
      r.value = typeof v === "number" && r.dtype.startsWith("float")
        ? String(Number(v.toPrecision(r.dtype === "float16" ? 4 : 7)))
        : String(v);
    } catch (e) {
      if (!(e instanceof TfCheckpointError)) throw e;
      r.value = `(${e.kind})`;
    }
  }
  const groups = new Map<string, SlotGroup>();
  for (const r of all) {
    if (r.kind !== "slot") continue;
    const g = groups.get(r.slotName!) ?? { slotName: r.slotName!, count: 0, bytes: 0 };
    g.count++, g.bytes += r.bytes;
    groups.set(r.slotName!, g);
  }
  const counts = { model: 0, slot: 0, optimizer: 0, other: 0, graph: 0 };
  for (const r of all) counts[r.kind]++;
  return {
    prefix: ckpt.prefix,
    index: { file: indexFile, bytes: (await fileSize(indexFile)) ?? 0 },
    shards,
    entryCount: ckpt.entries.length,
    totalBytes: ckpt.entries.reduce((s, e) => s + e.size, 0),
    objectGraph: ckpt.objectGraph ? "decoded" : graphEntry ? "missing-shard" : "absent",
    counts,
    rows: options.all ? all : all.filter((r) => r.kind === "model"),
    slotGroups: [...groups.values()],
    scalars,
  };
}
