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
 * (noise, no face) and `<root>/noise/1.jpg` (random bytes). With `group`, also
 * `<root>/group/0.jpg`: two canvases side by side (640x300), a large face (scale 1.6) on the
 * left and a small one of another person (scale 1.1) on the right; `group` is the large one, `groupOther` the small one.
 */
export async function makeRawFaceTree(
  lfwImages: string,
  root: string,
  options: {
    people?: number;
    perPerson?: number;
    bad?: boolean;
    group?: boolean;
    seed?: number;
  } = {},
): Promise<{
  faces: RawFace[];
  noFace?: string;
  notImage?: string;
  group?: RawFace;
  groupOther?: RawFace;
}> {
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
  let group: RawFace | undefined, groupOther: RawFace | undefined;
  if (options.group) {
    const crops = [...Deno.readDirSync(join(lfwImages, names[0]))].map((e) => e.name).sort();
    const a = await readRgbImage(join(lfwImages, names[0], crops[0]));
    const base = { width: 320, height: 300, degrees: 0, cx: 160, cy: 150 };
    const big = pasteAtKnownTransform(a, { ...base, scale: 1.6, seed: 91 });
    // Another person on the right, so that a crop of the wrong face does not match.
    const other = [...Deno.readDirSync(join(lfwImages, names.at(-1)!))].map((e) => e.name).sort();
    const b = await readRgbImage(join(lfwImages, names.at(-1)!, other[0]));
    const small = pasteAtKnownTransform(b, { ...base, scale: 1.1, seed: 92 });
    const data = new Uint8Array(640 * 300 * 3);
    for (let y = 0; y < 300; y++) {
      data.set(big.image.data.subarray(y * 960, (y + 1) * 960), y * 1920);
      data.set(small.image.data.subarray(y * 960, (y + 1) * 960), y * 1920 + 960);
    }
    const canvas: RawImage = { data, width: 640, height: 300, channels: 3 };
    await Deno.mkdir(join(root, "group"), { recursive: true });
    const path = join(root, "group", "0.jpg");
    await Deno.writeFile(path, await jpeg(canvas));
    group = {
      path,
      stem: "group/0",
      canvas,
      matrix: big.matrix,
      landmarks5: LFW_CROP_POINTS.map((p) => applyAffine(big.matrix, p) as Point),
    };
    const m = small.matrix;
    const shifted: Affine2x3 = [[m[0][0], m[0][1], m[0][2] + 320], [m[1][0], m[1][1], m[1][2]]];
    groupOther = {
      ...group,
      matrix: shifted,
      landmarks5: LFW_CROP_POINTS.map((p) => applyAffine(shifted, p) as Point),
    };
  }
  if (!options.bad) return { faces, group, groupOther };
  await Deno.mkdir(join(root, "noise"), { recursive: true });
  const n = 200 * 200 * 3, noise = new Uint8Array(n);
  for (let i = 0; i < n; i++) noise[i] = Math.floor(256 * rng.next());
  const noFace = join(root, "noise", "0.jpg"), notImage = join(root, "noise", "1.jpg");
  await Deno.writeFile(noFace, await jpeg({ data: noise, width: 200, height: 200, channels: 3 }));
  const junk = new Uint8Array(3000);
  for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(256 * rng.next());
  junk[0] = 0x13;
  await Deno.writeFile(notImage, junk);
  return { faces, noFace, notImage, group, groupOther };
}
