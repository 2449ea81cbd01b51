/**
 * Speed of decode + detect + landmarks + align (SSD MobileNetV1, wasm): face-api's six demo
 * photos (1920 px wide) and 48 LFW crops pasted into 480x420 canvases at random similarities,
 * in this process and on a 2-worker pool. Run:
 * `./deno bench -A lib/face/detect_bench.ts` (img/s = images per iteration / time per iteration).
 *
 * @module
 */
import sharp from "sharp";
import { join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import { lfwImagesDir } from "../../tests/support/convert_data.ts";
import { createRng } from "../random/seeded_rng.ts";
import { createDetectorPool } from "./detector_pool.ts";
import { loadFaceDetector } from "./face_detector.ts";
import { readRgbImage } from "./read_rgb_image.ts";
import { pasteAtKnownTransform } from "../../tests/support/face_canvas.ts";

const DEMO = new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url).pathname;
const demo = [1, 2, 3, 4, 5, 6].map((i) => join(DEMO, `sample${i}.jpg`));

await setupBackend("wasm", { trainingKernels: false });
const detector = await loadFaceDetector();
const tmp = await Deno.makeTempDir();
const canvases: string[] = [];
const lfw = lfwImagesDir();
if (lfw) {
  const lines = (await Deno.readTextFile(join(lfw, "..", "pairsDevTest.txt"))).trim().split("\n")
    .slice(1, 49);
  const rng = createRng(5);
  for (const [n, line] of lines.entries()) {
    const [name, idx] = line.split("\t");
    const crop = await readRgbImage(join(lfw, name, `${name}_${idx.padStart(4, "0")}.jpg`));
    const c = pasteAtKnownTransform(crop, {
      width: 480,
      height: 420,
      scale: rng.uniform(1.3, 2),
      degrees: rng.uniform(-15, 15),
      cx: rng.uniform(180, 300),
      cy: rng.uniform(170, 250),
      seed: n,
    });
    const path = join(tmp, `c${n}.jpg`);
    await sharp(c.image.data, { raw: { width: 480, height: 420, channels: 3 } }).jpeg({
      quality: 92,
    }).toFile(path);
    canvases.push(path);
  }
}
const pool = await createDetectorPool({ workers: 2, backend: "wasm" });

async function oneProcess(paths: string[]): Promise<void> {
  for (const p of paths) await detector.detect(await readRgbImage(p));
}

// async functions: Deno's bench awaits only those.
Deno.bench({ name: "6 demo photos, one process", n: 3, warmup: 1 }, async () => {
  await oneProcess(demo);
});
Deno.bench({ name: "6 demo photos, pool of 2", n: 3, warmup: 1 }, async () => {
  await pool.detectFiles(demo);
});
Deno.bench({ name: "48 LFW canvases, one process", n: 2, warmup: 1, ignore: !lfw }, async () => {
  await oneProcess(canvases);
});
Deno.bench({ name: "48 LFW canvases, pool of 2", n: 2, warmup: 1, ignore: !lfw }, async () => {
  await pool.detectFiles(canvases);
});

globalThis.addEventListener("unload", () => {
  pool.close();
  Deno.removeSync(tmp, { recursive: true });
});
