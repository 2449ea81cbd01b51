import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { defaultDataRoot } from "../data_root.ts";
import { TFRecordError } from "./errors.ts";
import { readTFRecordEntries, readTFRecords } from "./tfrecord_reader.ts";
import { openTFRecordWriter } from "./tfrecord_writer.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (s: string) => new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));
const text = (s: string) => new TextEncoder().encode(s);

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

// uint64 LE 3 | masked crc32c(length bytes) LE | "abc" | masked crc32c("abc") LE, computed
// from the format definition with a bitwise CRC32C (poly 0x82F63B78) outside this code.
const ABC_RECORD = "0300000000000000" + "b099490e" + "616263" + "6e57f121";
const EMPTY_RECORD = "0000000000000000" + "29039807" + "d8ea82a2";

const fixture = join(
  defaultDataRoot() ?? "/nonexistent",
  "..",
  "fixtures",
  "tfrecord",
  "hello_world_tf.tfrecord",
);
let fixtureExists = false;
try {
  fixtureExists = Deno.statSync(fixture).isFile;
} catch { /* no shared data here */ }

Deno.test({
  name: "reads the TensorFlow-written fixture with both CRCs checked",
  ignore: !fixtureExists,
  fn: async () => {
    const entries = await collect(readTFRecordEntries(fixture, { verifyCrc: true }));
    assertEquals(
      entries.map((e) => new TextDecoder().decode(e.record)),
      ["Hello", "World", "From", "Tensorflow"],
    );
    assertEquals(entries.map((e) => e.index), [0, 1, 2, 3]);
    assertEquals(entries.map((e) => e.offset), [0, 21, 42, 62]);
  },
});

Deno.test("writer produces the exact bytes of the format definition", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "abc.tfrecord");
    const w = await openTFRecordWriter(path);
    await w.write(text("abc"));
    await w.write(new Uint8Array(0));
    const res = await w.close();
    assertEquals(res, { path, records: 2, bytes: 19 + 16 });
    assertEquals(hex(await Deno.readFile(path)), ABC_RECORD + EMPTY_RECORD);
    // and the hand-built bytes read back
    await Deno.writeFile(path, fromHex(ABC_RECORD + EMPTY_RECORD + ABC_RECORD));
    const recs = await collect(readTFRecords(path));
    assertEquals(recs.map((r) => new TextDecoder().decode(r)), ["abc", "", "abc"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("round trip: many records, empty ones, records larger than the chunk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sizes = [0, 1, 5000, 0, 4096, 4095, 12_345, 3, 100_000, 0];
    for (let i = 0; i < 2000; i++) sizes.push((i * 7919) % 300);
    const records = sizes.map((n, i) => {
      const r = new Uint8Array(n);
      for (let j = 0; j < n; j++) r[j] = (i * 31 + j * 7) & 255;
      return r;
    });
    const paths = [join(dir, "a.tfrecord"), join(dir, "b.tfrecord")];
    for (const [k, path] of paths.entries()) {
      const w = await openTFRecordWriter(path, { bufferSize: 1 << 16 });
      for (const r of records) await w.write(r);
      const res = await w.close();
      assertEquals(res.records, records.length, `file ${k}`);
    }
    const got = await collect(readTFRecordEntries(paths, { chunkSize: 4096 }));
    assertEquals(got.length, 2 * records.length);
    for (let i = 0; i < got.length; i++) {
      assertEquals(got[i].record, records[i % records.length], `record ${i}`);
      assertEquals(got[i].file, paths[Math.floor(i / records.length)]);
    }
    const size = (await Deno.stat(paths[0])).size;
    assertEquals(size, sizes.reduce((a, b) => a + b + 16, 0));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function writeRecords(path: string, n: number): Promise<number[]> {
  const w = await openTFRecordWriter(path);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    offsets.push(w.bytes);
    await w.write(text(`record number ${i} `.repeat(i + 1)));
  }
  await w.close();
  return offsets;
}

Deno.test("corruptions: data CRC, length CRC and truncation name the record and offset", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "c.tfrecord");
    const offsets = await writeRecords(path, 6);
    const good = await Deno.readFile(path);

    const flipped = good.slice();
    flipped[offsets[3] + 12 + 5] ^= 0x40; // a data byte of record 3
    await Deno.writeFile(path, flipped);
    let e = await assertRejects(() => collect(readTFRecords(path)), TFRecordError);
    assertEquals([e.kind, e.index, e.offset, e.file], ["data-crc", 3, offsets[3], path]);
    assert(e.message.includes("record 3") && e.message.includes(`byte ${offsets[3]}`), e.message);
    assert(e.message.includes("re-run the conversion"), e.message);
    // without CRC checks the flipped byte comes through
    assertEquals((await collect(readTFRecords(path, { verifyCrc: false }))).length, 6);

    const badLen = good.slice();
    badLen[offsets[2]] ^= 1; // length of record 2
    await Deno.writeFile(path, badLen);
    e = await assertRejects(() => collect(readTFRecords(path)), TFRecordError);
    assertEquals([e.kind, e.index, e.offset], ["length-crc", 2, offsets[2]]);

    for (const cut of [offsets[4] + 20, offsets[4] + 7]) {
      await Deno.writeFile(path, good.subarray(0, cut));
      e = await assertRejects(() => collect(readTFRecords(path)), TFRecordError);
      assertEquals([e.kind, e.index, e.offset], ["truncated", 4, offsets[4]]);
      assert(e.message.includes("remain") && e.message.includes("copy it again"), e.message);
    }
    // a truncated file still yields the complete records before the damage
    const seen: number[] = [];
    await assertRejects(async () => {
      for await (const r of readTFRecordEntries(path)) seen.push(r.index);
    }, TFRecordError);
    assertEquals(seen, [0, 1, 2, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("atomic writer: nothing under the final name until close; abort removes the temp", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "out.tfrecord");
    const w = await openTFRecordWriter(path);
    await w.write(text("x".repeat(1000)));
    assert(w.writingTo !== path);
    await assertRejects(() => Deno.stat(path), Deno.errors.NotFound);
    await w.abort();
    assertEquals([...Deno.readDirSync(dir)].length, 0);

    const w2 = await openTFRecordWriter(path);
    await w2.write(text("y"));
    await w2.close();
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["out.tfrecord"]);
    await assertRejects(() => w2.write(text("z")), TFRecordError);

    const w3 = await openTFRecordWriter(join(dir, "plain.tfrecord"), { atomic: false });
    await w3.write(text("z"));
    await w3.abort();
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["out.tfrecord"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writer into a missing folder fails with a TFRecordError", async () => {
  await assertRejects(
    () => openTFRecordWriter("/nonexistent-folder-xyz/a.tfrecord"),
    TFRecordError,
  );
});

Deno.test({
  name: "full disk: a TFRecordError names the output and says no space; the temp is removed",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // The atomic writer's temp is a link to /dev/full, where every write fails with ENOSPC.
    const dir = await Deno.makeTempDir();
    try {
      const path = join(dir, "out.tfrecord");
      const tmp = `${path}.tmp-${Deno.pid}`;
      const w = await (async () => {
        await Deno.symlink("/dev/full", tmp);
        return await openTFRecordWriter(path, { bufferSize: 1 << 16 });
      })();
      const err = await assertRejects(async () => {
        for (let i = 0; i < 10; i++) await w.write(new Uint8Array(40_000));
        await w.close();
      }, TFRecordError);
      assert(err.message.includes(path), err.message);
      assert(/no space left/i.test(err.message), err.message);
      assertEquals(err.kind, "io");
      assert((await Deno.lstat(tmp).catch(() => null)) === null, "temp link still there");
      await w.abort(); // after the failure: a no-op, not a second error
      assert((await Deno.stat("/dev/full")).isCharDevice ?? true, "/dev/full must stay");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
