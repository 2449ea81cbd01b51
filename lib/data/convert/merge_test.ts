import { basename, join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { TFRecordError } from "../tfrecord/errors.ts";
import { convertImages } from "./convert.ts";
import { BadImageError, ConvertError } from "./errors.ts";
import { readLabelsTsv } from "./labels_tsv.ts";
import { mergeSources } from "./merge.ts";
import { lfwSubset, readAll, withTempDir } from "../../../tests/support/convert_data.ts";
import { attDir, lfwImagesDir } from "../../../tests/support/shared_data.ts";

async function attSubset(tmp: string, n: number): Promise<string> {
  const att = attDir()!;
  const dir = join(tmp, "att");
  for (let i = 1; i <= n; i++) {
    await Deno.mkdir(join(dir, `s${i}`), { recursive: true });
    for (let k = 1; k <= 10; k++) {
      await Deno.symlink(join(att, `s${i}`, `${k}.pgm`), join(dir, `s${i}`, `${k}.pgm`));
    }
  }
  return dir;
}

Deno.test({
  name: "merge: TFRecord + image folder (PGM) with label offsets and a source column",
  ignore: !lfwImagesDir() || !attDir(),
  fn: () =>
    withTempDir(async (tmp) => {
      const { dir, files } = await lfwSubset(tmp, 12);
      const lfwOut = join(tmp, "lfw.tfrecord");
      const a = await convertImages(dir, lfwOut, { shards: 2 });
      const att = await attSubset(tmp, 3);
      const out = join(tmp, "merged", "m.tfrecord");
      const m = await mergeSources([lfwOut, att], out, { seed: 3 });
      assertEquals(m.identities, 12 + 3);
      assertEquals(m.images, a.images + 30);
      const labels = await readLabelsTsv(m.labelsFile);
      assertEquals(
        labels.slice(0, 12).map((l) => [l.identity, l.source]),
        [...files.keys()].map((k) => [k, lfwOut]),
      );
      assertEquals(labels.slice(12).map((l) => [l.label, l.identity, l.count, l.source]), [
        [12, "s1", 10, att],
        [13, "s2", 10, att],
        [14, "s3", 10, att],
      ]);
      const exs = await readAll(m.outputs);
      const names = new Set(exs.map((e) => e.filename));
      assertEquals(names.size, exs.length);
      for (const ex of exs) assertEquals(ex.filename!.split("/")[0], labels[ex.label].identity);
      // PGM re-encoded as PNG, same pixels, name ends in .png
      const pgm = exs.find((e) => e.filename === "s2/7.png")!;
      assertEquals(
        [...pgm.encoded!.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""),
        "PNG",
      );
      const sharp = (await import("sharp")).default;
      assertEquals(pgm.encoded![25], 0, "PNG colour type 0 (grayscale)");
      const { data, info } = await sharp(pgm.encoded!).toColourspace("b-w").raw()
        .toBuffer({ resolveWithObject: true });
      assertEquals([info.width, info.height, info.channels], [92, 112, 1]);
      const raw = await Deno.readFile(join(attDir()!, "s2", "7.pgm"));
      assertEquals(new Uint8Array(data), raw.subarray(raw.length - 92 * 112));
      // records from both sources are mixed
      const firstAtt = exs.findIndex((e) => e.label >= 12);
      assert(firstAtt < exs.length - 30, "AT&T records all at the end: not interleaved");

      // merging a merged set keeps the inner source column
      const m2 = await mergeSources([out, att], join(tmp, "m2.tfrecord"));
      const l2 = await readLabelsTsv(m2.labelsFile);
      assertEquals([l2[0].source, l2[14].source, l2[15].label, l2[15].source], [
        lfwOut,
        att,
        15,
        att,
      ]);
    }),
});

Deno.test({
  name: "merge: truncated or corrupt TFRecord source, missing labels.tsv; nothing written",
  ignore: !lfwImagesDir() || !attDir(),
  fn: () =>
    withTempDir(async (tmp) => {
      const { dir } = await lfwSubset(tmp, 5);
      const src = join(tmp, "src.tfrecord");
      await convertImages(dir, src);
      const att = await attSubset(tmp, 2);
      const bytes = await Deno.readFile(src);
      const out = join(tmp, "outdir", "out.tfrecord");

      await Deno.writeFile(src, bytes.subarray(0, bytes.length - 100));
      let e: Error = await assertRejects(() => mergeSources([src, att], out), TFRecordError);
      assert(e.message.includes("truncated"), e.message);
      assertEquals([...Deno.readDirSync(join(tmp, "outdir"))], []);

      const flipped = bytes.slice();
      flipped[bytes.length - 50] ^= 1;
      await Deno.writeFile(src, flipped);
      e = await assertRejects(() => mergeSources([src, att], out), TFRecordError);
      assert(e.message.includes("data CRC"), e.message);
      assertEquals([...Deno.readDirSync(join(tmp, "outdir"))], []);

      await Deno.writeFile(src, bytes);
      await Deno.remove(join(tmp, "src.labels.tsv"));
      e = await assertRejects(() => mergeSources([src, att], out), ConvertError);
      assert(e.message.includes("labels.tsv"), e.message);
      await assertRejects(() => mergeSources([att], out), ConvertError);
    }),
});

Deno.test({
  name: "merge: a truncated JPEG in an image source is caught by default, skipped with skipBad",
  ignore: !lfwImagesDir() || !attDir(),
  fn: () =>
    withTempDir(async (tmp) => {
      const { dir, files } = await lfwSubset(tmp, 3);
      const [identity, [first]] = [...files.entries()][0];
      const cut = join(dir, identity, basename(first));
      const bytes = await Deno.readFile(first);
      await Deno.remove(cut);
      await Deno.writeFile(cut, bytes.subarray(0, bytes.length >> 1)); // magic bytes still right
      const att = await attSubset(tmp, 1);
      const out = join(tmp, "outdir", "out.tfrecord");
      const e = await assertRejects(() => mergeSources([dir, att], out), BadImageError);
      assert(e.message.includes(cut) && e.message.includes("not decodable"), e.message);
      const s = await mergeSources([dir, att], out, { skipBad: true });
      assertEquals(s.skipped.map((x) => x.file), [cut]);
      const total = [...files.values()].reduce((n, f) => n + f.length, 0) + 10;
      assertEquals(s.images, total - 1);
      await Deno.remove(join(tmp, "outdir"), { recursive: true });
      const unchecked = await mergeSources([dir, att], out, { verifyDecode: false });
      assertEquals(unchecked.images, total);
    }),
});
