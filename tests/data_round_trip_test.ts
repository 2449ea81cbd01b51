/**
 * Round trip: identity folders -> `convertImages` (binary TFRecord + labels.tsv) -> the training
 * pipeline. Every image must come out exactly once per epoch, with the label that labels.tsv
 * gives its folder, and (augmentation off) the pixels of the original file.
 */
import { join } from "node:path";
import sharp from "sharp";
import { assert, assertEquals } from "./support/assert.ts";
import { lfwImagesDir } from "./support/shared_data.ts";
import { convertImages, readLabelsTsv } from "../lib/data/convert/mod.ts";
import { createTrainPipeline } from "../lib/data/pipeline/mod.ts";

const lfw = lfwImagesDir();

/** FNV-1a over the pixels quantised back to 0..255 (the pipeline gives x / 255). */
function pixelKey(values: ArrayLike<number>, scale: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < values.length; i++) {
    h ^= Math.round(values[i] * scale);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

Deno.test({
  name: "folder -> TFRecord -> pipeline yields every image once per epoch with its label",
  ignore: lfw === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "round_trip_" });
    try {
      // 12 identities with 2-6 images each (symlinks: nothing is copied).
      const tree = join(tmp, "tree");
      const expected: string[] = []; // "identity|pixelKey" per image
      let picked = 0;
      for await (const dir of Deno.readDir(lfw!)) {
        if (picked === 12) break;
        const files = [...Deno.readDirSync(join(lfw!, dir.name))].map((f) => f.name).sort();
        if (files.length < 2) continue;
        picked++;
        await Deno.mkdir(join(tree, dir.name), { recursive: true });
        for (const f of files.slice(0, 6)) {
          await Deno.symlink(join(lfw!, dir.name, f), join(tree, dir.name, f));
          const raw = await sharp(join(lfw!, dir.name, f)).removeAlpha().raw().toBuffer();
          expected.push(`${dir.name}|${pixelKey(raw, 1)}`);
        }
      }
      const out = join(tmp, "set.tfrecord");
      const summary = await convertImages(tree, out, { seed: 5 });
      assertEquals(summary.images, expected.length);
      assertEquals(summary.identities, 12);
      const labels = await readLabelsTsv(summary.labelsFile);
      const identityOf = new Map(labels.map((l) => [l.label, l.identity]));

      const pipeline = await createTrainPipeline(out, {
        batchSize: 7,
        epochs: 2,
        seed: 9,
        augment: false,
        numClasses: 12,
      });
      const seen: string[][] = [[], []];
      let seenCount = 0;
      for await (const batch of pipeline) {
        const [b, h, w, c] = batch.shape;
        assertEquals([h, w, c], [112, 112, 3]);
        for (let i = 0; i < b; i++) {
          const px = batch.images.subarray(i * h * w * c, (i + 1) * h * w * c);
          const epoch = Math.floor(seenCount / expected.length);
          seen[epoch].push(`${identityOf.get(batch.labels[i])}|${pixelKey(px, 255)}`);
          seenCount++;
        }
      }
      for (const epoch of seen) assertEquals([...epoch].sort(), [...expected].sort());
      assert(seen[0].join() !== seen[1].join(), "the two epochs came in the same order");
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
