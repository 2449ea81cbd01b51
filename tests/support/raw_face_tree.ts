/**
 * Test support: a small "raw photo" tree (`<root>/<identity>/<n>.jpg`) made from shared LFW
 * 112 crops pasted into larger canvases at a known similarity (tests/support/face_canvas.ts),
 * plus, on request, a noise image (no face) and a random-bytes `.jpg` (does not decode).
 *
 * @module
 */
import { join } from "node:path";
import sharp from "sharp";
import {
  type Affine2x3,
  applyAffine,
  ARCFACE_TEMPLATE_112,
  type Point,
  type RawImage,
} from "../../lib/data/align/mod.ts";
import { readRgbImage } from "../../lib/face/read_rgb_image.ts";
import { createRng } from "../../lib/random/seeded_rng.ts";
import { pasteAtKnownTransform } from "./face_canvas.ts";

/** Where the faces of the shared LFW crops are: the ArcFace template 8 px left (see docs/face.md). */
export const LFW_CROP_POINTS: Point[] = ARCFACE_TEMPLATE_112.map(([x, y]) => [x - 8, y] as Point);

/** One pasted face: the raw photo, its canvas, and where its five points truly are. */
export interface RawFace {
  /** The written photo. */
  path: string;
  /** Its path below the root without extension (`<identity>/<n>`). */
  stem: string;
  /** The canvas as written (before JPEG). */
  canvas: RawImage;
  /** Crop -> canvas similarity. */
  matrix: Affine2x3;
  /** The five points in canvas pixels. */
  landmarks5: Point[];
}

/** Encodes RGB as JPEG quality 95. */
async function jpeg(image: RawImage): Promise<Uint8Array> {
  const b = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  }).jpeg({ quality: 95 }).toBuffer();
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/**
 * Writes `people` identities x `perPerson` photos under `root` from the first LFW identities
 * with that many images: canvas 320x300, crop scale 1.2-1.6, rotation -10..10 deg (faces fill
 * <= ~40% of the side, where the detector finds them). With `bad`, also `<root>/noise/0.jpg`
 * (noise, no face) and `<root>/noise/1.jpg` (random bytes).
 */
export async function makeRawFaceTree(
  lfwImages: string,
  root: string,
  options: { people?: number; perPerson?: number; bad?: boolean; seed?: number } = {},
): Promise<{ faces: RawFace[]; noFace?: string; notImage?: string }> {
  const people = options.people ?? 2, per = options.perPerson ?? 2;
  const rng = createRng(options.seed ?? 7);
  const names: string[] = [];
  for (const name of [...Deno.readDirSync(lfwImages)].map((e) => e.name).sort()) {
    if ([...Deno.readDirSync(join(lfwImages, name))].length >= per) names.push(name);
    if (names.length === people) break;
  }
  const faces: RawFace[] = [];
  for (const name of names) {
    await Deno.mkdir(join(root, name), { recursive: true });
    const files = [...Deno.readDirSync(join(lfwImages, name))].map((e) => e.name).sort();
    for (let k = 0; k < per; k++) {
      const crop = await readRgbImage(join(lfwImages, name, files[k]));
      const known = pasteAtKnownTransform(crop, {
        width: 320,
        height: 300,
        scale: 1.2 + 0.4 * rng.next(),
        degrees: -10 + 20 * rng.next(),
        cx: 140 + 40 * rng.next(),
        cy: 130 + 40 * rng.next(),
        seed: faces.length + 1,
      });
      const path = join(root, name, `${k}.jpg`);
      await Deno.writeFile(path, await jpeg(known.image));
      faces.push({
        path,
        stem: `${name}/${k}`,
        canvas: known.image,
        matrix: known.matrix,
        landmarks5: LFW_CROP_POINTS.map((p) => applyAffine(known.matrix, p) as Point),
      });
    }
  }
  if (!options.bad) return { faces };
  await Deno.mkdir(join(root, "noise"), { recursive: true });
  const n = 200 * 200 * 3, noise = new Uint8Array(n);
  for (let i = 0; i < n; i++) noise[i] = Math.floor(256 * rng.next());
  const noFace = join(root, "noise", "0.jpg"), notImage = join(root, "noise", "1.jpg");
  await Deno.writeFile(noFace, await jpeg({ data: noise, width: 200, height: 200, channels: 3 }));
  const junk = new Uint8Array(3000);
  for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(256 * rng.next());
  junk[0] = 0x13;
  await Deno.writeFile(notImage, junk);
  return { faces, noFace, notImage };
}
