import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { BadImageError, ConvertError } from "./errors.ts";
import { TFRecordError } from "../tfrecord/errors.ts";
import { convertImages } from "./convert.ts";
import { readLabelsTsv } from "./labels_tsv.ts";
import {
  lfwImagesDir,
  lfwSubset,
  readAll,
  withTempDir,
} from "../../../tests/support/convert_data.ts";
import type { ConvertProgress } from "./progress.ts";

const noLfw = !lfwImagesDir();

Deno.test({
  name: "LFW subset -> convert -> every image once, right label, original bytes",
  ignore: noLfw,
  fn: () =>
    withTempDir(async (tmp) => {
      const { dir, files } = await lfwSubset(tmp, 20);
      const out = join(tmp, "out", "lfw20.tfrecord");
      const reports: ConvertProgress[] = [];
      const s = await convertImages(dir, out, { seed: 7, onProgress: (p) => reports.push(p) });
      const total = [...files.values()].reduce((a, f) => a + f.length, 0);
      assertEquals([s.identities, s.images, s.skipped.length], [20, total, 0]);
      assertEquals(s.outputs, [out]);
      assertEquals(reports.at(-1)!.done, total);
      const labels = await readLabelsTsv(s.labelsFile);
      assertEquals(labels.map((l) => l.identity), [...files.keys()].sort());
      assertEquals(labels.map((l) => l.count), labels.map((l) => files.get(l.identity)!.length));
      const saved = JSON.parse(await Deno.readTextFile(s.summaryFile));
      assertEquals(saved.images, total);

      const seen = new Set<string>();
      const examples = await readAll(s.outputs);
      assertEquals(examples.length, total);
      for (const ex of examples) {
        const [identity, file] = ex.filename!.split("/");
        assertEquals(labels[ex.label].identity, identity, ex.filename);
        assert(!seen.has(ex.filename!), `${ex.filename} twice`);
        seen.add(ex.filename!);
        const original = await Deno.readFile(join(dir, identity, file));
        assertEquals(ex.encoded, original, ex.filename);
      }
      // shuffled: not in identity order
      assert(examples.some((e, i) => i > 0 && e.label < examples[i - 1].label));

      // same seed -> same bytes; other seed -> other order
      const again = await convertImages(dir, join(tmp, "again.tfrecord"), { seed: 7 });
      assertEquals(await Deno.readFile(again.outputs[0]), await Deno.readFile(out));
      const other = await convertImages(dir, join(tmp, "other.tfrecord"), { seed: 8 });
      assert((await readAll(other.outputs)).some((e, i) => e.filename !== examples[i].filename));
    }),
});

Deno.test({
  name: "shards, path schema and --min-images",
  ignore: noLfw,
  fn: () =>
    withTempDir(async (tmp) => {
      const { dir, files } = await lfwSubset(tmp, 30);
      const s = await convertImages(dir, join(tmp, "p.tfrecord"), {
        schema: "path",
        shards: 3,
        minImages: 2,
      });
      const kept = [...files].filter(([, f]) => f.length >= 2);
      assertEquals(s.identities, kept.length);
      assertEquals(s.skipped.length, files.size - kept.length);
      assert(s.skipped.every((k) => k.reason.includes("min-images")));
      assertEquals(s.outputs.map((o) => o.slice(tmp.length + 1)), [
        "p-00000-of-00003.tfrecord",
        "p-00001-of-00003.tfrecord",
        "p-00002-of-00003.tfrecord",
      ]);
      const exs = await readAll(s.outputs);
      assertEquals(exs.length, kept.reduce((a, [, f]) => a + f.length, 0));
      assertEquals(s.recordsPerOutput.reduce((a, b) => a + b), exs.length);
      const labels = await readLabelsTsv(s.labelsFile);
      for (const ex of exs) {
        assertEquals(ex.schema, "path");
        assert(ex.imgPath!.startsWith(join(dir, labels[ex.label].identity) + "/"), ex.imgPath);
      }
    }),
});

async function tinyTree(tmp: string): Promise<string> {
  const lfw = lfwImagesDir()!;
  const dir = join(tmp, "tree");
  for (
    const [id, src] of [["a", "AJ_Cook/AJ_Cook_0001.jpg"], ["b", "AJ_Lamas/AJ_Lamas_0001.jpg"]]
  ) {
    await Deno.mkdir(join(dir, id), { recursive: true });
    await Deno.copyFile(join(lfw, src), join(dir, id, "1.jpg"));
  }
  return dir;
}

async function removeOutputs(s: { outputs: string[]; labelsFile: string; summaryFile: string }) {
  for (const f of [...s.outputs, s.labelsFile, s.summaryFile]) await Deno.remove(f);
}

function assertNothingWritten(out: string): void {
  const dir = join(out, "..");
  const left = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("out"));
  assertEquals(left, [], "files left behind after a failed conversion");
}

Deno.test({
  name: "bad input: non-image file, garbage .jpg, empty identity; nothing left behind",
  ignore: noLfw,
  fn: () =>
    withTempDir(async (tmp) => {
      const dir = await tinyTree(tmp);
      const out = join(tmp, "out.tfrecord");
      await Deno.writeTextFile(join(dir, "a", "notes.txt"), "hello");
      let e = await assertRejects(() => convertImages(dir, out), ConvertError);
      assert(e.message.includes("notes.txt") && e.message.includes("--skip-bad"), e.message);
      assertNothingWritten(out);
      let s = await convertImages(dir, out, { skipBad: true });
      assertEquals(s.images, 2);
      assertEquals(s.skipped.map((k) => k.file), [join(dir, "a", "notes.txt")]);
      await removeOutputs(s);
      await Deno.remove(join(dir, "a", "notes.txt"));

      // magic check: garbage with a .jpg name fails while records are being written
      await Deno.writeTextFile(join(dir, "b", "2.jpg"), "this is not a jpeg");
      e = await assertRejects(() => convertImages(dir, out), BadImageError);
      assert(e.message.includes("2.jpg") && e.message.includes("not a JPEG"), e.message);
      assertNothingWritten(out);
      s = await convertImages(dir, out, { skipBad: true });
      assertEquals([s.images, s.skipped.length], [2, 1]);
      const labels = await readLabelsTsv(s.labelsFile);
      assertEquals(labels.map((l) => l.count), [1, 1]); // counts = records actually written
      await removeOutputs(s);
      await Deno.remove(join(dir, "b", "2.jpg"));

      await Deno.mkdir(join(dir, "c_empty"));
      e = await assertRejects(() => convertImages(dir, out), ConvertError);
      assert(e.message.includes("c_empty") && e.message.includes("empty identity"), e.message);
      assertNothingWritten(out);
      s = await convertImages(dir, out, { skipBad: true });
      assertEquals([s.identities, s.skipped[0].file], [2, join(dir, "c_empty")]);
    }),
});

Deno.test({
  name: "truncated JPEG: caught by the default decode check, skipped with skipBad",
  ignore: noLfw,
  fn: () =>
    withTempDir(async (tmp) => {
      const dir = await tinyTree(tmp);
      const good = await Deno.readFile(join(dir, "a", "1.jpg"));
      await Deno.writeFile(join(dir, "a", "2.jpg"), good.subarray(0, good.length >> 1));
      const out = join(tmp, "out.tfrecord");
      const e = await assertRejects(() => convertImages(dir, out), BadImageError);
      assert(e.message.includes("2.jpg") && e.message.includes("not decodable"), e.message);
      assertNothingWritten(out);
      const s2 = await convertImages(dir, out, { skipBad: true });
      assertEquals([s2.images, s2.skipped.length], [2, 1]);
      assert(s2.skipped[0].file.endsWith("2.jpg"), s2.skipped[0].file);
      await removeOutputs(s2);
      // verifyDecode: false only checks the magic bytes: the truncated image is written.
      const s = await convertImages(dir, out, { verifyDecode: false });
      assertEquals(s.images, 3);
    }),
});

Deno.test("missing input folder and a TFRecord given to convert are clear errors", async () => {
  await withTempDir(async (tmp) => {
    const e = await assertRejects(
      () => convertImages(join(tmp, "nope"), join(tmp, "out.tfrecord")),
      ConvertError,
    );
    assert(e.message.includes("does not exist"), e.message);
    const e2 = await assertRejects(
      () => convertImages(join(tmp, "x.tfrecord"), join(tmp, "out.tfrecord")),
      ConvertError,
    );
    assert(e2.message.includes("merge"), e2.message);
  });
});

Deno.test({
  name: "convert: a full disk is a TFRecordError naming the output; nothing is left behind",
  ignore: !lfwImagesDir() || Deno.build.os !== "linux",
  async fn() {
    await withTempDir(async (tmp) => {
      const { dir } = await lfwSubset(tmp, 3, 2);
      const out = join(tmp, "out", "x.tfrecord");
      await Deno.mkdir(join(tmp, "out"));
      // The shard's temp is a link to /dev/full: every write fails with ENOSPC.
      await Deno.symlink("/dev/full", `${out}.tmp-${Deno.pid}`);
      const err = await assertRejects(
        () => convertImages(dir, out, { seed: 1 }),
        TFRecordError,
      );
      assert(err.message.includes(`writing ${out} `), err.message);
      assert(/no space left/i.test(err.message), err.message);
      assertEquals([...Deno.readDirSync(join(tmp, "out"))].map((e) => e.name), []);
    });
  },
});

Deno.test({
  name: "convert: temps of a killed earlier run are removed and reported",
  ignore: !lfwImagesDir(),
  async fn() {
    await withTempDir(async (tmp) => {
      const { dir } = await lfwSubset(tmp, 2, 2);
      const out = join(tmp, "x.tfrecord");
      const dead = new Deno.Command("true").spawn();
      await dead.status;
      await Deno.writeTextFile(`${out}.tmp-${dead.pid}`, "partial");
      const summary = await convertImages(dir, out, { seed: 1 });
      assertEquals(summary.removedTemps, [`${out}.tmp-${dead.pid}`]);
      assert(!(await Deno.stat(`${out}.tmp-${dead.pid}`).then(() => true, () => false)));
    });
  },
});
