import { dirname, join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import {
  arcfaceReleasedCkpt,
  arcfaceSection1Ckpt,
  kwsSavedModelDir,
} from "../../../tests/support/shared_data.ts";
import { listCheckpoint } from "./checkpoint_listing.ts";
import { shardPath } from "./checkpoint_path.ts";

const released = arcfaceReleasedCkpt();
const section1 = arcfaceSection1Ckpt();
const kws = kwsSavedModelDir();

Deno.test({
  name:
    "listing of arcface-tf2's released checkpoint: 330 entries, shard 1 missing, from the index",
  ignore: !released,
  fn: async () => {
    const l = await listCheckpoint(`${released!}.index`);
    assertEquals(l.prefix, released);
    assertEquals(l.entryCount, 330);
    assertEquals(l.shards.map((s) => [s.present, s.entries]), [[true, 1], [false, 329]]);
    assertEquals(l.shards[0].bytes, 53879);
    assertEquals(l.shards[1].indexedBytes, 337102336);
    assertEquals(l.objectGraph, "decoded");
    assertEquals(l.counts, { model: 329, slot: 0, optimizer: 0, other: 0, graph: 1 });
    assertEquals(l.rows.length, 329);
    assert(l.rows.every((r) => r.kind === "model"), "model rows only without --all");
    const k0 = l.rows.find((r) => r.key === "layer_with_weights-0/layer_with_weights-0/kernel")!;
    assertEquals([k0.dtype, k0.shape, k0.bytes], ["float32", [7, 7, 3, 64], 7 * 7 * 3 * 64 * 4]);
    const head = l.rows.find((r) => r.key === "layer_with_weights-2/layer_with_weights-0/weights")!;
    assertEquals(head.shape, [512, 85742]);
    assertEquals(l.totalBytes, 53879 + 337102336);
    assertEquals(l.slotGroups, []);
    // A folder with TF's `checkpoint` file lists the same; --all adds the object graph row.
    const viaDir = await listCheckpoint(dirname(released!), { all: true });
    assertEquals(viaDir.rows.length, 330);
    assertEquals(viaDir.rows.filter((r) => r.kind === "graph").map((r) => r.shard), [0]);
    // So does one of its data files.
    assertEquals((await listCheckpoint(shardPath(released!, 0, 2))).prefix, released);
  },
});

Deno.test({
  name: "listing of the section-1 run (index only): momentum slots grouped, scalars listed",
  ignore: !section1,
  fn: async () => {
    const l = await listCheckpoint(section1!);
    assertEquals(l.entryCount, 552);
    assertEquals(l.shards.map((s) => s.present), [false, false]);
    assertEquals(l.objectGraph, "missing-shard");
    assertEquals(l.counts, { model: 329, slot: 219, optimizer: 3, other: 0, graph: 1 });
    assertEquals(l.rows.length, 329);
    const slots = (await listCheckpoint(section1!, { all: true })).rows.filter((r) =>
      r.kind === "slot"
    );
    assertEquals(l.slotGroups, [{
      slotName: "momentum",
      count: 219,
      bytes: slots.reduce((s, r) => s + r.bytes, 0),
    }]);
    assert(l.slotGroups[0].bytes > 300e6, `momentum bytes ${l.slotGroups[0].bytes}`);
    assertEquals(l.scalars.map((r) => [r.key, r.dtype, r.value]), [
      ["optimizer/decay", "float32", undefined],
      ["optimizer/iter", "int64", undefined],
      ["optimizer/momentum", "float32", undefined],
    ]);
  },
});

Deno.test({
  name: "listing of the Keras SavedModel fixture: Adam's m and v grouped, scalar values read",
  ignore: !kws,
  fn: async () => {
    const l = await listCheckpoint(kws!);
    assertEquals(l.prefix, join(kws!, "variables", "variables"));
    assertEquals(l.slotGroups.map((g) => [g.slotName, g.count]), [["m", 38], ["v", 38]]);
    const iter = l.scalars.find((r) => r.key === "optimizer/iter")!;
    assertEquals([iter.dtype, iter.value], ["int64", "30816"]);
    assertEquals(l.scalars.find((r) => r.key === "optimizer/beta_1")!.value, "0.9");
  },
});
