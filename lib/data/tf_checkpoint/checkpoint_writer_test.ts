import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import {
  arcfaceReleasedCkpt,
  arcfaceSection1Ckpt,
  kwsSavedModelDir,
} from "../../../tests/support/shared_data.ts";
import { shardPath } from "./checkpoint_path.ts";
import { openCheckpoint, readTensor } from "./checkpoint_reader.ts";
import {
  checkpointStateText,
  type CheckpointTensor,
  encodeBundleIndex,
  writeCheckpoint,
  writeCheckpointState,
} from "./checkpoint_writer.ts";
import { buildTable, readTable } from "./leveldb_table.ts";
import { decodeObjectGraph, encodeObjectGraph } from "./object_graph.ts";

/** "identical", or where and how two byte strings first differ (so a failure shows the bytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      const around = (x: Uint8Array) =>
        Array.from(x.subarray(Math.max(0, i - 8), i + 8), (v) => v.toString(16).padStart(2, "0"))
          .join(" ");
      return `first difference at byte ${i} of ${a.length} / ${b.length}: ` +
        `ours ${around(a)} | TensorFlow's ${around(b)}`;
    }
  }
  return "identical";
}

const fixtures = [
  ["kws SavedModel", kwsSavedModelDir()],
  ["arcface-tf2 released", arcfaceReleasedCkpt()],
  ["arcface-tf2 section 1", arcfaceSection1Ckpt()],
] as const;

for (const [name, path] of fixtures) {
  Deno.test({
    name: `re-encoding the ${name} fixture's header + entries gives its .index byte for byte`,
    ignore: !path,
    fn: async () => {
      const ckpt = await openCheckpoint(path!);
      const theirs = await Deno.readFile(`${ckpt.prefix}.index`);
      const ours = encodeBundleIndex(ckpt.header, ckpt.entries);
      assertEquals(firstDifference(ours, theirs), "identical");
    },
  });
}

for (const [name, path] of fixtures.slice(0, 2)) {
  Deno.test({
    name: `re-encoding the ${name} fixture's decoded object graph gives its bytes back`,
    ignore: !path,
    fn: async () => {
      const ckpt = await openCheckpoint(path!);
      const e = ckpt.entries.find((e) => e.key === "_CHECKPOINTABLE_OBJECT_GRAPH")!;
      const shard = await Deno.readFile(shardPath(ckpt.prefix, e.shardId, ckpt.numShards));
      const raw = shard.subarray(e.offset, e.offset + e.size);
      let pos = 0;
      while (raw[pos] & 0x80) pos++;
      const theirs = raw.subarray(pos + 1 + 4); // varint length, length checksum, proto bytes
      assertEquals(
        firstDifference(encodeObjectGraph(decodeObjectGraph(theirs)), theirs),
        "identical",
      );
    },
  });
}

Deno.test("writes every dtype over 2 shards and reads the same values back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tensors: CheckpointTensor[] = [
      {
        key: "a/f32",
        dtype: "float32",
        shape: [2, 3],
        data: new Float32Array([1, -2.5, 3, 0, 1e-8, 7]),
      },
      {
        key: "b/f16",
        dtype: "float16",
        shape: [4],
        data: new Float32Array([1, -0.5, 65504, 2 ** -24]),
      },
      { key: "c/i32", dtype: "int32", shape: [3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) },
      { key: "d/i64", dtype: "int64", shape: [], data: new BigInt64Array([-(2n ** 40n)]) },
      { key: "e/str", dtype: "string", shape: [3], data: ["", "héllo", "x".repeat(200)] },
      { key: "f/bool", dtype: "bool", shape: [2, 2], data: new Uint8Array([1, 0, 0, 1]) },
      { key: "g/empty", dtype: "float32", shape: [0, 5], data: new Float32Array(0) },
    ];
    const graph = encodeObjectGraph({
      nodes: [{ children: [], attributes: [], slotVariables: [], extra: [] }],
    });
    const prefix = join(dir, "sub", "model.ckpt");
    await writeCheckpoint(prefix, tensors, { numShards: 2, objectGraph: graph });
    const ckpt = await openCheckpoint(prefix);
    assertEquals(ckpt.numShards, 2);
    assertEquals(ckpt.entries.map((e) => e.key), [
      "_CHECKPOINTABLE_OBJECT_GRAPH",
      ...tensors.map((t) => t.key),
    ]);
    assertEquals(new Set(ckpt.entries.map((e) => e.shardId)), new Set([0, 1]));
    assertEquals(ckpt.objectGraph?.nodes.length, 1);
    for (const t of tensors) {
      const back = await readTensor(ckpt, t.key);
      assertEquals(back, t.data, t.key);
      assertEquals(ckpt.entries.find((e) => e.key === t.key)!.shape, t.shape);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a table of many blocks (small block size) reads back in order", () => {
  const enc = new TextEncoder();
  const rows = Array.from({ length: 500 }, (_, i) => ({
    key: enc.encode(`layer_with_weights-${String(i).padStart(4, "0")}/kernel`),
    value: enc.encode(`v${i}`.repeat(1 + (i % 7))),
  }));
  const table = buildTable(rows, { blockSize: 512 });
  const back = readTable(table, "mem");
  assertEquals(back.length, 500);
  assertEquals(
    back.map((r) => new TextDecoder().decode(r.value)),
    rows.map((r) => new TextDecoder().decode(r.value)),
  );
  // More than one data block: each adds a trailer, a restart array and an index entry.
  const oneBlock = buildTable(rows);
  assert(table.length > oneBlock.length + 10 * 5, `${table.length} vs ${oneBlock.length} bytes`);
});

Deno.test({
  name: "checkpoint state file: as TensorFlow wrote it beside the released checkpoint",
  ignore: !arcfaceReleasedCkpt(),
  fn: async () => {
    const prefix = arcfaceReleasedCkpt()!;
    const tfs = await Deno.readTextFile(join(prefix, "..", "checkpoint"));
    assertEquals(checkpointStateText(prefix), tfs);
    const dir = await Deno.makeTempDir({ prefix: "ckpt_state_" });
    const file = await writeCheckpointState(join(dir, 'a "b".ckpt'));
    assertEquals(file, join(dir, "checkpoint"));
    assert(
      (await Deno.readTextFile(file)).startsWith('model_checkpoint_path: "a \\"b\\".ckpt"\n'),
      "quotes escaped",
    );
    await Deno.remove(dir, { recursive: true });
  },
});
