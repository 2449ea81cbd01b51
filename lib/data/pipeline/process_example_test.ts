import sharp from "sharp";
import { assertEquals } from "../../../tests/support/assert.ts";
import { decodeImage } from "./process_example.ts";
import { requireLfwImagesDir } from "../../../tests/support/shared_data.ts";

Deno.test("decodeImage: RGB JPEG as is; grey PNG replicated to RGB; alpha dropped", async () => {
  const jpeg = await Deno.readFile(`${requireLfwImagesDir()}/Aaron_Eckhart/Aaron_Eckhart_0001.jpg`);
  const rgb = await sharp(jpeg).raw().toBuffer();
  const a = await decodeImage(jpeg);
  assertEquals([a.height, a.width, a.data.length], [112, 112, rgb.length]);
  assertEquals(Array.from(a.data.subarray(0, 300)), Array.from(rgb.subarray(0, 300)));
  const grey = await sharp(jpeg).greyscale().png().toBuffer();
  const g = await decodeImage(grey);
  const g1 = await sharp(grey).extractChannel(0).raw().toBuffer(); // [112, 112]
  assertEquals(g.data.length, 112 * 112 * 3);
  assertEquals(Array.from(g.data.subarray(0, 6)), [g1[0], g1[0], g1[0], g1[1], g1[1], g1[1]]);
  const rgba = await sharp(jpeg).ensureAlpha().png().toBuffer();
  assertEquals(
    Array.from((await decodeImage(rgba)).data.subarray(0, 300)),
    Array.from(rgb.subarray(0, 300)),
  );
});
