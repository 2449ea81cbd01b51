import sharp from "sharp";
import { assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { FaceDetectionError } from "./face_types.ts";
import { readRgbImage } from "./read_rgb_image.ts";

Deno.test("readRgbImage: not an image, or a missing file, is a FaceDetectionError naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = `${dir}/notes.jpg`;
    await Deno.writeTextFile(bad, "this is not a JPEG");
    await assertRejects(() => readRgbImage(bad), FaceDetectionError, bad);
    await assertRejects(
      () => readRgbImage(`${dir}/missing.png`),
      FaceDetectionError,
      "no such file",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readRgbImage: grayscale expanded, alpha dropped, EXIF orientation applied", async () => {
  const gray = await sharp(new Uint8Array([10, 20, 30, 40, 50, 60]), {
    raw: { width: 3, height: 2, channels: 1 },
  }).png().toBuffer();
  const g = await readRgbImage(new Uint8Array(gray));
  assertEquals([g.width, g.height, g.channels], [3, 2, 3]);
  assertEquals([...g.data.slice(0, 6)], [10, 10, 10, 20, 20, 20]);

  const rgba = await sharp(new Uint8Array([1, 2, 3, 255, 4, 5, 6, 0]), {
    raw: { width: 2, height: 1, channels: 4 },
  }).png().toBuffer();
  const c = await readRgbImage(new Uint8Array(rgba));
  assertEquals([...c.data], [1, 2, 3, 4, 5, 6]);

  // A 4x2 image stored with EXIF orientation 6 (rotate 90 degrees clockwise) reads as 2x4.
  const rotated = await sharp(new Uint8Array(4 * 2 * 3).fill(128), {
    raw: { width: 4, height: 2, channels: 3 },
  }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const r = await readRgbImage(new Uint8Array(rotated));
  assertEquals([r.width, r.height], [2, 4]);
});

Deno.test("readRgbImage decodes AT&T PGM", async () => {
  const pgm = new Uint8Array([...new TextEncoder().encode("P5\n2 1\n255\n"), 7, 9]);
  const im = await readRgbImage(pgm);
  assertEquals([...im.data], [7, 7, 7, 9, 9, 9]);
});
