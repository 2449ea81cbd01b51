/**
 * A truncated JPEG written with --no-verify-decode (verifyDecode: false) makes training fail
 * with a message that names the record, the image, the TFRecord and --verify-decode, not a raw
 * decoder message. (Convert's default decode check that catches it first is tested in
 * lib/data/convert/convert_test.ts.)
 */
import { join } from "node:path";
import sharp from "sharp";
import { assert, assertRejects } from "./support/assert.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { convertImages } from "../lib/data/convert/mod.ts";
import { RecordDecodeError } from "../lib/data/pipeline/mod.ts";
import { trainModel } from "../lib/train/mod.ts";
import { makeTinyDataset, tinyConfig } from "./support/train_fixture.ts";

const dir = await Deno.makeTempDir({ prefix: "train_bad_image_" });
await makeTinyDataset(dir);
// One image of the fixture as a JPEG cut in half: the magic bytes are right, the data ends early.
const png = join(dir, "faces", "person_2", "img_1.png");
const jpeg = await sharp(png).jpeg({ quality: 95 }).toBuffer();
await Deno.writeFile(
  join(dir, "faces", "person_2", "img_1.jpg"),
  jpeg.subarray(0, jpeg.length >> 1),
);
await Deno.remove(png);

Deno.test("a truncated JPEG in the TFRecord fails training with a message naming --verify-decode", async () => {
  const out = join(dir, "unchecked.tfrecord");
  await convertImages(join(dir, "faces"), out, { seed: 1, verifyDecode: false });
  const config = parseConfig(tinyConfig(dir, out, { sub_name: "bad_image", max_steps: 6 }));
  const err = await assertRejects(() => trainModel(config), RecordDecodeError, "--verify-decode");
  assert(err.message.includes(out) && err.message.includes("img_1.jpg"), err.message);
  assert(/Record \d+ of /.test(err.message) && err.message.includes("--skip-bad"), err.message);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
