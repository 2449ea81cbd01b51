/**
 * Photo verification end to end on "photos" made from LFW crops pasted into larger canvases
 * (tests/support/face_canvas.ts): face-api with a threshold from a small eval.json written here
 * (tests/support/verify_fixtures.ts: 0.149, what face-api measures on lfw-view1 here):
 * the same person lands below it, different people above, a photo with two faces is decided by
 * its closest face, and the bad inputs are named errors.
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import sharp from "sharp";
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { pasteAtKnownTransform } from "./support/face_canvas.ts";
import { FACE_API_VIEW1_EVAL, noisePng, writeFaceApiEval } from "./support/verify_fixtures.ts";
import { lfwImagesDir } from "./support/shared_data.ts";
import { setupBackend } from "../lib/backend/mod.ts";
import type { RawImage } from "../lib/data/align/mod.ts";
import { readRgbImage } from "../lib/face/mod.ts";
import {
  EvaluationNotFoundError,
  FaceNotFoundError,
  verifyPhotos,
} from "../lib/eval/verify/mod.ts";
import { verifyPairDisplay } from "../lib/notebook/display/verify_pair.ts";

const lfw = lfwImagesDir();
const haveLfw = lfw !== undefined && await Deno.stat(lfw).then(() => true, () => false);

/** An LFW crop pasted at scale 1.4 into a w x 360 canvas, centred at (w/2, 170). */
async function canvas(
  person: string,
  n: number,
  degrees: number,
  seed: number,
  w = 420,
  scale = 1.4,
) {
  const crop = await readRgbImage(
    join(lfw!, person, `${person}_${String(n).padStart(4, "0")}.jpg`),
  );
  return pasteAtKnownTransform(crop, {
    width: w,
    height: 360,
    scale,
    degrees,
    cx: w / 2,
    cy: 170,
    seed,
  }).image;
}

/** Two canvases side by side (a photo with two faces). */
function sideBySide(l: RawImage, r: RawImage): RawImage {
  const w = l.width + r.width, h = l.height;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    data.set(l.data.subarray(y * l.width * 3, (y + 1) * l.width * 3), y * w * 3);
    data.set(r.data.subarray(y * r.width * 3, (y + 1) * r.width * 3), (y * w + l.width) * 3);
  }
  return { data, width: w, height: h, channels: 3 };
}

async function png(image: RawImage, path: string): Promise<string> {
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png().toFile(path);
  return path;
}

const EVAL = FACE_API_VIEW1_EVAL;

Deno.test({
  name:
    "verifyPhotos: same person below the eval.json threshold, different above, best of two faces",
  ignore: !haveLfw,
  async fn() {
    await setupBackend("wasm");
    const dir = await Deno.makeTempDir({ prefix: "verify_photos_" });
    try {
      const evalPath = await writeFaceApiEval(join(dir, "eval.json"));
      const gulA = await png(await canvas("Abdullah_Gul", 13, -6, 1), join(dir, "gul13.png"));
      const gulB = await png(await canvas("Abdullah_Gul", 14, 8, 2), join(dir, "gul14.png"));
      const lamas = await png(await canvas("AJ_Lamas", 1, 3, 4), join(dir, "lamas.png"));
      const two = await png(
        sideBySide(
          await canvas("AJ_Lamas", 1, 2, 5, 360, 1.6),
          await canvas("Abdullah_Gul", 14, -4, 6, 360, 1.2),
        ),
        join(dir, "two.png"),
      );
      const before = tf.memory().numTensors;
      const same = await verifyPhotos(gulA, gulB, { eval: evalPath });
      assertEquals(tf.memory().numTensors, before, "tensors leaked");
      const t = EVAL.sets[0].metrics.meanThreshold;
      assertEquals(same.threshold.value, t); // the file's, not a constant
      assertEquals([same.threshold.file, same.threshold.set], [evalPath, "lfw-view1"]);
      assertEquals(same.threshold.rates?.far, 0.022);
      assertEquals(same.threshold.template, "arcface_96");
      assertEquals([same.a.faces.length, same.b.faces.length, same.bestOfSeveral], [1, 1, false]);
      assert(same.same && same.distance < 0.6 * t, `same person: distance ${same.distance}`);

      const diff = await verifyPhotos(gulA, lamas, { eval: evalPath });
      assert(!diff.same && diff.distance > 1.4 * t, `different people: distance ${diff.distance}`);

      // Two faces in photo B (Lamas left and larger, Gul right): the Gul face decides, not the
      // largest, and the result says so.
      const best = await verifyPhotos(gulA, two, { eval: evalPath });
      assertEquals(best.b.faces.length, 2);
      assert(best.b.faces[0].box.x < 360, "the largest face is the left one (Lamas)");
      assert(best.bestOfSeveral);
      const used = best.b.faces[best.b.used].box;
      assert(used.x > 360, `used the face at x=${used.x}, not the right-hand (same person) one`);
      assert(best.same, `best pair distance ${best.distance}`);
      const other = best.distances[best.a.used][1 - best.b.used];
      assert(other > best.distance, `${other} vs ${best.distance}`);

      const shown = await verifyPairDisplay(same);
      assert(String(shown.bundle["text/html"]).includes("SAME PERSON"));
      assert(String(shown.bundle["text/plain"]).includes(t.toFixed(4)));
      const pngBytes = Uint8Array.from(
        atob(String(shown.bundle["image/png"])),
        (c) => c.charCodeAt(0),
      );
      const meta = await sharp(pngBytes).metadata();
      assertEquals([meta.width, meta.height], [328, 160]);

      // The CLI prints the same decision and the eval.json's threshold with its source.
      const cli = (...extra: string[]) =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "cli/verify.ts", gulA, gulB, "--eval", evalPath, ...extra],
          cwd: new URL("..", import.meta.url).pathname,
          // The same backend as this process, so that the distances are bit-equal.
          env: { ARCFACE_BACKEND: "wasm" },
          stdout: "piped",
          stderr: "piped",
        }).output();
      const out = await cli();
      const text = new TextDecoder().decode(out.stdout);
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      for (
        const want of [
          `threshold ${t.toFixed(4)}: mean best threshold over 10 folds of lfw-view1`,
          evalPath,
          "FAR 2.20% (11/500",
          "TAR 96.60% (483/500",
          "template arcface_96",
          "decision: SAME PERSON",
        ]
      ) assert(text.includes(want), `missing '${want}' in:\n${text}`);
      const json = JSON.parse(new TextDecoder().decode((await cli("--json")).stdout));
      assertEquals(json.threshold.value, t);
      assertEquals(json.same, true);
      assertEquals(json.distance, same.distance);

      // A photo without a face: the named error names the photo.
      const noisePath = await noisePng(join(dir, "noise.png"));
      const e = await assertRejects(
        () => verifyPhotos(gulA, noisePath, { eval: evalPath }),
        FaceNotFoundError,
      );
      assert(e.message.includes("noise.png") && e.message.includes("photo B"), e.message);
      // No evaluation: the named error says which command makes one, before any photo is read.
      const e2 = await assertRejects(
        () => verifyPhotos(join(dir, "missing.jpg"), gulB, { resultsDir: join(dir, "results") }),
        EvaluationNotFoundError,
      );
      assert(e2.message.includes("deno task eval --model face-api"), e2.message);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
