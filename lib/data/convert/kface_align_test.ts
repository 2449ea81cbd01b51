import { join } from "node:path";
import sharp from "sharp";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { lfwSubset, readAll, withTempDir } from "../../../tests/support/convert_data.ts";
import { attDir, lfwImagesDir } from "../../../tests/support/shared_data.ts";
import { pasteAtKnownTransform } from "../../../tests/support/face_canvas.ts";
import { type Affine2x3, alignTemplate, applyAffine, type Point } from "../align/mod.ts";
import { setupBackend } from "../../backend/mod.ts";
import { readRgbImage } from "../../face/read_rgb_image.ts";
import type { RawImage } from "../../face/face_types.ts";
import { createRng } from "../../random/seeded_rng.ts";
import { convertImages } from "./convert.ts";
import { mergeSources } from "./merge.ts";
import { alignDirFor } from "./source_spec.ts";
import { alignImageSource } from "./align_source.ts";
import { parseKFaceSpec, scanKFace } from "./kface.ts";

const LFW = lfwImagesDir();
const SRC = [
  "AJ_Cook/AJ_Cook_0001.jpg",
  "Aaron_Eckhart/Aaron_Eckhart_0001.jpg",
  "AJ_Lamas/AJ_Lamas_0001.jpg",
];
const IDS = ["19062421", "19062431", "19071131"];
/** Where the faces of the shared LFW crops are (their own geometry: arcface_96). */
const CROP_POINTS = alignTemplate("arcface_96");
/** A detector-like box in crop coordinates (SSD on these crops: x 8..84, y 15..109). */
const CROP_BOX = { x0: 8, y0: 14, x1: 86, y1: 110 };

async function writeJpeg(path: string, img: RawImage): Promise<void> {
  await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality: 95 }).toFile(path);
}

/**
 * A K-Face-shaped tree: per ID, S001/L1/E01/C1..C5 (+ an L2 folder the selection leaves out):
 * C1 an unlabelled `x y w h` box file, C2 a labelled 5-point file, C3 no file, C4 an unusable
 * file, C5 a noise frame with no face. Faces are LFW crops de-aligned onto 400x360 canvases at
 * a known similarity. Returns the root and the crop -> canvas matrix of every face.
 */
async function deAlignedTree(tmp: string) {
  const root = join(tmp, "High");
  const known = new Map<string, Affine2x3>();
  const rng = createRng(11);
  for (const [i, id] of IDS.entries()) {
    const crop = await readRgbImage(join(LFW!, SRC[i]));
    for (const l of ["L1", "L2"]) {
      const dir = join(root, id, "S001", l, "E01");
      await Deno.mkdir(dir, { recursive: true });
      for (let c = 1; c <= 4; c++) {
        const scale = 1.3 + 0.4 * rng.next(), degrees = -10 + 20 * rng.next();
        const cx = 170 + 60 * rng.next(), cy = 160 + 40 * rng.next();
        const k = pasteAtKnownTransform(crop, {
          width: 400,
          height: 360,
          scale,
          degrees,
          cx,
          cy,
          seed: 7 * i + c,
        });
        known.set(`${id}/S001/${l}/E01/C${c}.jpg`, k.matrix);
        await writeJpeg(join(dir, `C${c}.jpg`), k.image);
        if (c === 1) {
          const mid = applyAffine(k.matrix, [
            (CROP_BOX.x0 + CROP_BOX.x1) / 2,
            (CROP_BOX.y0 + CROP_BOX.y1) / 2,
          ]);
          const w = (CROP_BOX.x1 - CROP_BOX.x0) * scale, h = (CROP_BOX.y1 - CROP_BOX.y0) * scale;
          await Deno.writeTextFile(
            join(dir, "C1.txt"),
            `${(mid[0] - w / 2).toFixed(1)} ${(mid[1] - h / 2).toFixed(1)} ${w.toFixed(1)} ` +
              `${h.toFixed(1)}\n`,
          );
        }
        if (c === 2) {
          const pts = CROP_POINTS.map((p) => applyAffine(k.matrix, p));
          await Deno.writeTextFile(
            join(dir, "C2.txt"),
            "# test file\nlandmarks: " + pts.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`)
              .join(" ") +
              "\n",
          );
        }
        if (c === 4) await Deno.writeTextFile(join(dir, "C4.txt"), "hello 1 2 3\n");
      }
      const noise = new Uint8Array(400 * 360 * 3).map(() => Math.floor(rng.next() * 256));
      await writeJpeg(join(dir, "C5.jpg"), { data: noise, width: 400, height: 360, channels: 3 });
    }
  }
  return { root, known };
}

/** Mean distance (crop px) of the crop's true landmarks, mapped canvas -> aligned, to the template. */
function landmarkError(canvasToAligned: Affine2x3, cropToCanvas: Affine2x3): number {
  let sum = 0;
  for (const [j, p] of CROP_POINTS.entries()) {
    const q: Point = applyAffine(canvasToAligned, applyAffine(cropToCanvas, p));
    sum += Math.hypot(q[0] - CROP_POINTS[j][0], q[1] - CROP_POINTS[j][1]);
  }
  return sum / CROP_POINTS.length;
}

Deno.test({
  name: "kface: de-aligned frames with box / 5-point / no / bad files come out aligned, counted",
  ignore: !LFW,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (tmp) => {
      await setupBackend("wasm", { trainingKernels: false });
      const { root, known } = await deAlignedTree(tmp);
      const spec = `kface:${root}?S=1&L=1&E=1&template=arcface_96`;
      const out = join(tmp, "kface.tfrecord");
      const s = await convertImages(spec, out);
      const a = s.alignment![spec];
      const { images, fileLandmarks, fileBox, detector, noInfoFile, badInfoFile, noFace } =
        a.counts;
      assertEquals(
        { images, fileLandmarks, fileBox, detector, noInfoFile, badInfoFile, noFace },
        {
          images: 15,
          fileLandmarks: 3,
          fileBox: 3,
          detector: 6,
          noInfoFile: 3,
          badInfoFile: 3,
          noFace: 3,
        },
      );
      assertEquals(s.images, 12);
      const noFaceListed = s.skipped.filter((k) => /no face found/.test(k.reason)).map((k) =>
        k.file.split("/").slice(-5).join("/")
      );
      assertEquals(noFaceListed.sort(), IDS.map((id) => `${id}/S001/L1/E01/C5.jpg`));
      assertEquals(a.badInfoFiles.length, 3);

      // Every crop in the TFRecord is the aligned 112x112 crop, not the 400x360 frame.
      for (const ex of await readAll(s.outputs)) {
        const img = await readRgbImage(ex.encoded!);
        assertEquals([img.width, img.height], [112, 112], ex.filename);
        assert(/\/C[1-4]\.png$/.test(ex.filename!), ex.filename);
      }

      // Landmark error against the known transform, per method.
      const manifest = JSON.parse(
        await Deno.readTextFile(join(alignDirFor(out, 0), "faces.json")),
      );
      const errs: Record<string, number[]> = {};
      for (
        const [name, e] of Object.entries(manifest.entries) as [
          string,
          { method?: string; matrix: Affine2x3 },
        ][]
      ) {
        if (!e.method) continue;
        (errs[e.method] ??= []).push(landmarkError(e.matrix, known.get(name)!));
      }
      const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
      console.log(
        "landmark error (crop px, mean per method):",
        Object.fromEntries(Object.entries(errs).map(([k, v]) => [k, +mean(v).toFixed(2)])),
      );
      assert(Math.max(...errs.fileLandmarks) < 0.5, `5-point files: ${errs.fileLandmarks}`);
      assert(Math.max(...errs.fileBox) < 5, `box files: ${errs.fileBox}`);
      assert(Math.max(...errs.detector) < 5, `detector: ${errs.detector}`);

      // A rerun reuses every crop (and the no-face verdicts); raw=1 keeps whole frames.
      const again = await convertImages(spec, out);
      assertEquals(again.alignment![spec].counts.reused, 15);
      assertEquals(again.images, 12);
      const rawSpec = `kface:${root}?S=1&L=1&E=1&C=1-2&raw=1`;
      const raw = await convertImages(rawSpec, join(tmp, "raw.tfrecord"));
      assertEquals([raw.images, raw.alignment], [6, undefined]);
      const first = (await readAll(raw.outputs))[0];
      const frame = await readRgbImage(first.encoded!);
      assertEquals([frame.width, frame.height], [400, 360]);
    }),
});

Deno.test({
  name: "merge: an aligned: folder source (AT&T 92x112 PGM) becomes 112x112 aligned crops",
  ignore: !LFW || !attDir(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (tmp) => {
      await setupBackend("wasm", { trainingKernels: false });
      const { dir } = await lfwSubset(tmp, 2);
      const att = join(tmp, "att", "s1");
      await Deno.mkdir(att, { recursive: true });
      for (const k of [1, 2, 3]) {
        await Deno.symlink(join(attDir()!, "s1", `${k}.pgm`), join(att, `${k}.pgm`));
      }
      const spec = `aligned:${join(tmp, "att")}?template=arcface_96`;
      const out = join(tmp, "m.tfrecord");
      const m = await mergeSources([dir, spec], out);
      const c = m.alignment![spec].counts;
      assertEquals([c.images, c.detector, c.noFace], [3, 3, 0]);
      assertEquals(m.alignment![spec].dir, alignDirFor(out, 1));
      const att3 = (await readAll(m.outputs)).filter((e) => e.filename!.startsWith("s1/"));
      assertEquals(att3.map((e) => e.filename).sort(), ["s1/1.png", "s1/2.png", "s1/3.png"]);
      for (const e of att3) {
        const img = await readRgbImage(e.encoded!);
        assertEquals([img.width, img.height], [112, 112]); // the 92x112 photo, aligned
      }
    }),
});

Deno.test({
  name: "kface same_camera=1: a dark frame without a file borrows the L1 frame's points",
  ignore: !LFW,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (tmp) => {
      await setupBackend("wasm", { trainingKernels: false });
      const crop = await readRgbImage(join(LFW!, SRC[0]));
      const k = pasteAtKnownTransform(crop, {
        width: 400,
        height: 360,
        scale: 1.5,
        degrees: 8,
        cx: 190,
        cy: 170,
      });
      const root = join(tmp, "High");
      const l1 = join(root, IDS[0], "S001", "L1", "E01"),
        l7 = join(root, IDS[0], "S001", "L7", "E01");
      await Deno.mkdir(l1, { recursive: true });
      await Deno.mkdir(l7, { recursive: true });
      await writeJpeg(join(l1, "C1.jpg"), k.image);
      const pts = CROP_POINTS.map((p) => applyAffine(k.matrix, p));
      await Deno.writeTextFile(join(l1, "C1.txt"), pts.map((p) => p.join(" ")).join("\n"));
      const dark = { ...k.image, data: k.image.data.map((v) => Math.round(v * 0.35)) };
      await writeJpeg(join(l7, "C1.jpg"), dark);
      const { root: r, selection } = parseKFaceSpec(`kface:${root}?L=7`);
      const scan = await scanKFace(r, selection);
      const off = await alignImageSource(scan, join(tmp, "off"), {
        infoFiles: true,
        template: "arcface_96",
      });
      assertEquals(off.alignment.counts.sameCamera, 0); // default off: the detector
      const on = await alignImageSource(scan, join(tmp, "on"), {
        infoFiles: true,
        template: "arcface_96",
        sameCamera: true,
      });
      assertEquals([on.alignment.counts.sameCamera, on.alignment.counts.detector], [1, 0]);
      const m = JSON.parse(await Deno.readTextFile(join(tmp, "on", "faces.json")));
      const e = m.entries[`${IDS[0]}/S001/L7/E01/C1.jpg`];
      assert(landmarkError(e.matrix, k.matrix) < 0.5, JSON.stringify(e));
    }),
});
