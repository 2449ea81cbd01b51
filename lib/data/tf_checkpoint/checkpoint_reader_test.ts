import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import {
  arcfaceReleasedCkpt,
  arcfaceSection1Ckpt,
  kwsSavedModelDir,
} from "../../../tests/support/shared_data.ts";
import { findEntry, openCheckpoint, readTensor } from "./checkpoint_reader.ts";

const kws = kwsSavedModelDir();
const released = arcfaceReleasedCkpt();
const section1 = arcfaceSection1Ckpt();

function kinds(vars: { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of vars) out[v.kind] = (out[v.kind] ?? 0) + 1;
  return out;
}

Deno.test({
  name: "kws SavedModel fixture: 142 entries, object graph, every tensor read with its CRC",
  ignore: !kws,
  fn: async () => {
    const ckpt = await openCheckpoint(kws!);
    assertEquals(ckpt.prefix, join(kws!, "variables", "variables"));
    assertEquals(ckpt.numShards, 1);
    assertEquals(ckpt.entries.length, 142);
    assert(ckpt.objectGraph && ckpt.objectGraph.nodes.length > 0, "object graph decoded");
    assertEquals(kinds(ckpt.variables), { other: 4, model: 56, slot: 76, optimizer: 5 });
    const k0 = ckpt.variables.find((v) => v.path === "layer_with_weights-0/kernel")!;
    assertEquals([k0.entry.dtype, k0.entry.shape], ["float32", [10, 4, 1, 64]]);
    const m = ckpt.variables.find((v) =>
      v.path.endsWith("layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m")
    )!;
    assertEquals([m.kind, m.slotOf, m.slotName], ["slot", "layer_with_weights-0/kernel", "m"]);
    let floats = 0;
    for (const e of ckpt.entries) {
      const v = await readTensor(ckpt, e.key); // CRC checked inside
      assertEquals(v.length, e.shape.reduce((a, b) => a * b, 1), e.key);
      if (v instanceof Float32Array) floats += v.length;
    }
    assert(floats > 1000, `read ${floats} floats`);
    // By object path as well as by key: the same values.
    const byPath = await readTensor(ckpt, "layer_with_weights-0/kernel");
    const byKey = await readTensor(ckpt, k0.entry.key);
    assertEquals(byPath, byKey);
    // And by the SavedModel's variable list (`variables/N`, the form Keras 3 exports key by).
    assertEquals(findEntry(ckpt, "variables/0")?.key, k0.entry.key);
    assertEquals(await readTensor(ckpt, "variables/0"), byKey);
    const trainable = Array.from({ length: 56 }, (_, i) => findEntry(ckpt, `variables/${i}`));
    assertEquals(trainable.filter((e) => e?.key.startsWith("layer")).length, 56);
    assertEquals(findEntry(ckpt, "variables/56"), undefined);
  },
});

Deno.test({
  name: "arcface-tf2 released checkpoint: 330 entries over 2 shards, 329 model variables",
  ignore: !released,
  fn: async () => {
    const ckpt = await openCheckpoint(released!);
    assertEquals([ckpt.numShards, ckpt.entries.length], [2, 330]);
    assertEquals(kinds(ckpt.variables), { model: 329 });
    assert(ckpt.objectGraph, "object graph read from shard 0");
    const k = ckpt.variables.find((v) =>
      v.path === "layer_with_weights-0/layer_with_weights-0/kernel"
    )!;
    assertEquals([k.entry.dtype, k.entry.shape, k.entry.shardId], ["float32", [7, 7, 3, 64], 1]);
    const head = ckpt.variables.find((v) =>
      v.path === "layer_with_weights-2/layer_with_weights-0/weights"
    )!;
    assertEquals(head.entry.shape, [512, 85742]);
  },
});

Deno.test({
  name: "arcface-tf2 section-1 run index: 552 entries, 219 momentum slots",
  ignore: !section1,
  fn: async () => {
    const ckpt = await openCheckpoint(section1!);
    assertEquals(ckpt.entries.length, 552);
    const slots = ckpt.variables.filter((v) => v.kind === "slot");
    assertEquals(slots.length, 219);
    assert(slots.every((s) => s.slotName === "momentum"), "all momentum");
    assertEquals(ckpt.objectGraph, undefined); // its shard (1) is not in the fixture
  },
});
