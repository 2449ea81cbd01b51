import sharp from "sharp";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { verifyPairDisplay } from "./verify_pair.ts";

const crop = (v: number) => ({
  data: new Uint8Array(112 * 112 * 3).fill(v),
  width: 112,
  height: 112,
  channels: 3,
});

Deno.test("verifyPairDisplay: both crops side by side, verdict, distance and threshold source", async () => {
  const shown = await verifyPairDisplay({
    model: "face-api",
    distance: 0.2161,
    same: false,
    a: { photo: "a<1>.jpg", crop: crop(0) },
    b: { photo: "b.jpg", crop: crop(255) },
    threshold: {
      value: 0.149,
      set: "lfw-view1",
      file: "results/face-api/eval.json",
      rule: "mean best threshold over 10 folds",
    },
  }, { tile: 100 });
  const html = String(shown.bundle["text/html"]);
  assert(html.includes("DIFFERENT PEOPLE") && html.includes("a&lt;1&gt;.jpg"), html);
  assert(html.includes("0.2161") && html.includes("0.1490") && html.includes("lfw-view1"), html);
  assert(String(shown.bundle["text/plain"]).startsWith("different people: distance 0.2161 >="));
  const png = Uint8Array.from(atob(String(shown.bundle["image/png"])), (c) => c.charCodeAt(0));
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assertEquals([info.width, info.height], [208, 100]);
  const px = (x: number) => data[(50 * info.width + x) * info.channels];
  assertEquals([px(50), px(104), px(150)], [0, 255, 255]); // A black, the white gap, B white
});
