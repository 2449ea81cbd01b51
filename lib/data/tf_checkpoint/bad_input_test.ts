import { basename, join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { arcfaceReleasedCkpt, kwsSavedModelDir } from "../../../tests/support/shared_data.ts";
import { maskedCrc32c } from "../tfrecord/crc32c.ts";
import { shardPath } from "./checkpoint_path.ts";
import { openCheckpoint, readTensor } from "./checkpoint_reader.ts";
import { TfCheckpointError, type TfCheckpointErrorKind } from "./errors.ts";
import { FOOTER_SIZE } from "./leveldb_table.ts";

const kws = kwsSavedModelDir();
const released = arcfaceReleasedCkpt();

async function rejects(p: Promise<unknown>, kind: TfCheckpointErrorKind, ...says: string[]) {
  try {
    await p;
  } catch (e) {
    assert(e instanceof TfCheckpointError, `expected TfCheckpointError, got ${e}`);
    assertEquals(e.kind, kind, e.message);
    for (const s of says) assert(e.message.includes(s), `message lacks '${s}': ${e.message}`);
    return e;
  }
  throw new Error(`expected a ${kind} TfCheckpointError, nothing was thrown`);
}

// A copy of the kws variables (index + shard) in a temp folder, `edit`ed; returns the prefix.
async function kwsCopy(
  dir: string,
  edit: (index: Uint8Array, data: Uint8Array) => [Uint8Array, Uint8Array],
): Promise<string> {
  const src = join(kws!, "variables", "variables");
  const [index, data] = edit(
    await Deno.readFile(`${src}.index`),
    await Deno.readFile(`${src}.data-00000-of-00001`),
  );
  const prefix = join(dir, "variables");
  await Deno.writeFile(`${prefix}.index`, index);
  await Deno.writeFile(`${prefix}.data-00000-of-00001`, data);
  return prefix;
}

function withTemp(name: string, fn: (dir: string) => Promise<void>, needs: unknown = kws) {
  Deno.test({
    name,
    ignore: !needs,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      try {
        await fn(dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

// The kws index has one data block, at offset 0, then the empty metaindex block whose offset
// the footer gives first: the data block's size is that offset less its 5-byte trailer.
async function dataBlockSize(): Promise<number> {
  const index = await Deno.readFile(join(kws!, "variables", "variables.index"));
  const footer = index.subarray(index.length - FOOTER_SIZE);
  let pos = 0;
  const varint = () => {
    let v = 0, mul = 1;
    while (footer[pos] & 0x80) v += (footer[pos++] & 0x7f) * mul, mul *= 128;
    return v + footer[pos++] * mul;
  };
  const metaOffset = varint();
  return metaOffset - 5;
}

withTemp("an index cut before its footer: truncated, names the file", async (dir) => {
  const prefix = await kwsCopy(dir, (i, d) => [i.subarray(0, i.length - 20), d]);
  await rejects(openCheckpoint(prefix), "truncated", `${prefix}.index`, "copy it again");
  const tiny = await kwsCopy(dir, (i, d) => [i.subarray(0, 30), d]);
  await rejects(openCheckpoint(tiny), "truncated", `${tiny}.index`, "48-byte table footer");
});

withTemp("an index whose blocks were cut (footer intact): truncated block", async (dir) => {
  const prefix = await kwsCopy(dir, (i, d) => {
    const cut = new Uint8Array(i.length - 200);
    cut.set(i.subarray(0, i.length - FOOTER_SIZE - 200));
    cut.set(i.subarray(i.length - FOOTER_SIZE), cut.length - FOOTER_SIZE);
    return [cut, d];
  });
  await rejects(openCheckpoint(prefix), "truncated", `${prefix}.index`, "index block", "runs past");
});

withTemp("a flipped byte in an index block: CRC mismatch naming the block", async (dir) => {
  const prefix = await kwsCopy(dir, (i, d) => {
    const c = i.slice();
    c[100] ^= 0x01;
    return [c, d];
  });
  await rejects(openCheckpoint(prefix), "crc", `${prefix}.index`, "data block at offset 0");
});

withTemp("a compressed (snappy) block is refused by name", async (dir) => {
  const size = await dataBlockSize();
  const prefix = await kwsCopy(dir, (i, d) => {
    const c = i.slice();
    c[size] = 1; // the type byte after the data block; recompute its CRC so only the type is wrong
    new DataView(c.buffer).setUint32(size + 1, maskedCrc32c(c.subarray(0, size + 1)), true);
    return [c, d];
  });
  await rejects(openCheckpoint(prefix), "compressed", `${prefix}.index`, "snappy");
});

withTemp("a flipped byte in a tensor: CRC mismatch naming the shard and the key", async (dir) => {
  const ckpt = await openCheckpoint(kws!);
  const k = ckpt.entries.find((e) => e.key.startsWith("layer_with_weights-0/kernel/.ATTR"))!;
  const prefix = await kwsCopy(dir, (i, d) => {
    const c = d.slice();
    c[k.offset + 17] ^= 0x40;
    return [i, c];
  });
  const copy = await openCheckpoint(prefix);
  await rejects(
    readTensor(copy, k.key),
    "crc",
    shardPath(prefix, 0, 1),
    k.key,
    `offset ${k.offset}`,
  );
  // Other tensors still read.
  const other = ckpt.entries.find((e) => e.key.startsWith("layer_with_weights-0/bias/.ATTR"))!;
  await readTensor(copy, other.key);
});

withTemp("a truncated data file: says which tensor needs which bytes", async (dir) => {
  const ckpt = await openCheckpoint(kws!);
  const last = ckpt.entries.reduce((a, b) => (a.offset > b.offset ? a : b));
  const prefix = await kwsCopy(dir, (i, d) => [i, d.subarray(0, last.offset + 3)]);
  const copy = await openCheckpoint(prefix).catch(() => undefined);
  // The object graph is the last tensor: opening already reads it.
  assertEquals(copy, undefined);
  await rejects(
    openCheckpoint(prefix),
    "truncated",
    shardPath(prefix, 0, 1),
    "copy the shard again",
  );
});

Deno.test({
  name: "released arcface-tf2 checkpoint: a weight says its shard file is missing",
  ignore: !released,
  fn: async () => {
    const ckpt = await openCheckpoint(released!);
    const e = await rejects(
      readTensor(ckpt, "layer_with_weights-0/layer_with_weights-0/kernel"),
      "missing-shard",
      `${basename(released!)}.data-00001-of-00002 is missing`,
      "shard 1 of 2",
      "the index and the object graph, not the weights",
    );
    assertEquals(e.file, shardPath(released!, 1, 2));
  },
});

withTemp("a .ckpt prefix whose files are not there: says what was looked for", async (dir) => {
  const prefix = join(dir, "e_1.ckpt");
  await rejects(openCheckpoint(prefix), "not-found", `${prefix}.index`);
  await Deno.writeFile(`${prefix}.data-00000-of-00001`, new Uint8Array(4));
  await rejects(
    openCheckpoint(prefix),
    "not-found",
    "e_1.ckpt.data-00000-of-00001",
    "copy the .index",
  );
  await rejects(
    openCheckpoint(dir),
    "not-found",
    join(dir, "checkpoint"),
    join(dir, "variables", "variables.index"),
  );
}, true);
