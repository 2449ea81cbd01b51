import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { readAll, withTempDir } from "../../tests/support/convert_data.ts";
import { lfwImagesDir } from "../../tests/support/shared_data.ts";
import { makeRawFaceTree, type RawFace } from "../../tests/support/raw_face_tree.ts";
import { alignFace, type RawImage } from "../data/align/mod.ts";
import { convertImages } from "../data/convert/convert.ts";
import { alignDirFor, alignedSourceSpec } from "../data/convert/source_spec.ts";
import { ALIGN_SUMMARY_FILE, alignTree, AlignTreeError } from "./align_tree.ts";
import { readRgbImage } from "./read_rgb_image.ts";

const LFW = lfwImagesDir();
const opts = { sanitizeResources: false, sanitizeOps: false, ignore: !LFW };

/** Mean absolute difference over the central 72x72 of two 112 crops (face, not background). */
function centralMad(a: RawImage, b: RawImage): number {
  let s = 0, n = 0;
  for (let y = 20; y < 92; y++) {
    for (let x = 20; x < 92; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * 112 + x) * 3 + c;
        s += Math.abs(a.data[i] - b.data[i]);
        n++;
      }
    }
  }
  return s / n;
}

/** The crop of `f` on the template from its TRUE points shifted by (dx, dy) canvas px. */
const ideal = (f: RawFace, dx = 0, dy = 0) =>
  alignFace(f.canvas, f.landmarks5.map(([x, y]) => [x + dx, y + dy] as const), {
    template: "arcface",
  }).image;

/** The shift of the true points (canvas px, 2 px grid, +-12) whose ideal crop best matches. */
function bestShift(crop: RawImage, f: RawFace): [number, number, number] {
  let best: [number, number, number] = [0, 0, Infinity];
  for (let dy = -12; dy <= 12; dy += 2) {
    for (let dx = -12; dx <= 12; dx += 2) {
      const m = centralMad(crop, ideal(f, dx, dy));
      if (m < best[2]) best = [dx, dy, m];
    }
  }
  return best;
}

Deno.test({
  name: "alignTree: crops on the template, no-face and bad files listed, rerun skips, guards",
  ...opts,
  async fn() {
    await withTempDir(async (dir) => {
      const raw = join(dir, "raw"), out = join(dir, "out");
      const made = await makeRawFaceTree(LFW!, raw, {
        people: 2,
        perPerson: 2,
        bad: true,
        group: true,
      });
      const progress: number[] = [];
      const s = await alignTree(raw, out, { workers: 2, onProgress: (p) => progress.push(p.done) });
      assertEquals([s.photos, s.aligned, s.skippedDone], [7, 5, 0]);
      // Two faces: the largest is kept, and the photo is counted.
      assertEquals([s.multiFace, s.multiFaceFiles], [1, [made.group!.path]]);
      assertEquals(s.noFace, [made.noFace!]);
      assertEquals(s.badFiles.map((b) => b.file), [made.notImage!]);
      assertEquals(progress.at(-1), 7);
      for (const f of [...made.faces, made.group!]) {
        const crop = await readRgbImage(join(out, `${f.stem}.png`));
        assertEquals([crop.width, crop.height], [112, 112]);
        // The written crop matches the perfect crop of the true points within a few px (an
        // aligner 10 px off, or one that kept the LFW crops' own geometry, lands >= 8 px away).
        const [dx, dy, mad] = bestShift(crop, f);
        assert(Math.hypot(dx, dy) <= 4.5, `${f.stem}: best match ${dx},${dy} px off (MAD ${mad})`);
      }
      // ... and it is the large face's crop, not the other person's (both lie on the template).
      const group = await readRgbImage(join(out, "group/0.png"));
      const right = centralMad(group, ideal(made.group!)),
        wrong = centralMad(group, ideal(made.groupOther!));
      assert(
        right < wrong - 5,
        `group photo: MAD ${right} to the large face, ${wrong} to the other`,
      );
      const onDisk = JSON.parse(await Deno.readTextFile(join(out, ALIGN_SUMMARY_FILE)));
      assertEquals([onDisk.aligned, onDisk.noFace.length, onDisk.options.template], [
        5,
        1,
        "arcface",
      ]);
      // Rerun: every crop is there; only the no-face and bad photos are looked at again.
      const again = await alignTree(raw, out, { workers: 1 });
      assertEquals([again.aligned, again.skippedDone, again.noFace.length], [0, 5, 1]);
      await assertRejects(() => alignTree(raw, out, { size: 96 }), AlignTreeError, "size 112");
      await assertRejects(() => alignTree(raw, join(raw, "x")), AlignTreeError, "inside");
      await assertRejects(() => alignTree(join(dir, "nope"), out), AlignTreeError, "nope");
    });
  },
});

Deno.test({
  name: "convert of aligned:<folder> (= convert --align): crops in <stem>.faces/0/ are " +
    "alignTree's pixels, the TFRecord holds their bytes, the no-face photo is listed",
  ...opts,
  async fn() {
    await withTempDir(async (dir) => {
      const raw = join(dir, "raw");
      const made = await makeRawFaceTree(LFW!, raw, { people: 2, perPerson: 1, bad: true });
      const tree = join(dir, "tree");
      await alignTree(raw, tree, { workers: 1, template: "arcface_96" });
      const output = join(dir, "x.tfrecord");
      const summary = await convertImages(
        alignedSourceSpec(raw, { template: "arcface_96", workers: 1 }),
        output,
        { noShuffle: true, skipBad: true },
      );
      const faces = alignDirFor(output);
      assertEquals(faces, join(dir, "x.faces", "0"));
      const report = Object.values(summary.alignment!)[0];
      assertEquals([report.counts.detector, report.counts.noFace, report.counts.badImage], [
        made.faces.length,
        1,
        1,
      ]);
      assert(summary.skipped.some((s) => s.file === made.noFace), JSON.stringify(summary));
      const records = await readAll([output]);
      assertEquals(records.length, made.faces.length);
      for (let i = 0; i < made.faces.length; i++) {
        const rec = records[i], name = `${made.faces[i].stem}.png`;
        assertEquals(rec.filename, name);
        assertEquals(rec.encoded, await Deno.readFile(join(faces, name)));
        // One engine: the same pixels as deno task align's crop of that photo.
        const a = await readRgbImage(join(faces, name)), b = await readRgbImage(join(tree, name));
        assertEquals(a.data, b.data);
      }
    });
  },
});
