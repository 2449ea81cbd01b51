import { join } from "node:path";
import sharp from "sharp";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { alignFace } from "./align_face.ts";
import { ARCFACE_TEMPLATE_112 } from "./arcface_template.ts";
import { type Affine2x3, applyAffine } from "./similarity_transform.ts";
import { type RawImage, warpAffine } from "./warp_affine.ts";
import { lfwRoot } from "../../../tests/support/verification_data.ts";

const LFW = lfwRoot();

Deno.test({
  name: "alignFace undoes a known similarity applied to an (already aligned) LFW face",
  ignore: !LFW,
  async fn() {
    const path = join(LFW!, "images", "Abel_Pacheco", "Abel_Pacheco_0001.jpg");
    const { data, info } = await sharp(await Deno.readFile(path)).removeAlpha().raw()
      .toBuffer({ resolveWithObject: true });
    const face: RawImage = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      channels: info.channels,
    };
    assertEquals([face.width, face.height, face.channels], [112, 112, 3]);
    // "Photograph" it: rotate 20 degrees, scale 2.2, move into a 300x260 frame.
    const c = 2.2 * Math.cos(0.35), s = 2.2 * Math.sin(0.35);
    const m: Affine2x3 = [[c, -s, 90], [s, c, 10]];
    const photo = warpAffine(face, m, { width: 300, height: 260 });
    // The LFW images are aligned to the template, so the landmarks in the photo are m(template).
    const landmarks = ARCFACE_TEMPLATE_112.map((p) => applyAffine(m, p));
    const { image, matrix } = alignFace(photo, landmarks);
    assertEquals([image.width, image.height, image.channels], [112, 112, 3]);
    landmarks.forEach((p, i) => {
      const q = applyAffine(matrix, p);
      const t = ARCFACE_TEMPLATE_112[i];
      assert(Math.hypot(q[0] - t[0], q[1] - t[1]) < 0.5);
    });
    // Centre region (the face, away from the borders): mean absolute difference. Two bilinear
    // resamplings blur (about as much as a half-pixel shift: ~2.7 on this image), so the bound
    // is set against a 1-pixel misalignment of the original (~5.4).
    const centreMad = (a: Uint8Array) => {
      let sum = 0, count = 0;
      for (let y = 16; y < 96; y++) {
        for (let x = 16; x < 96; x++) {
          for (let k = 0; k < 3; k++) {
            const o = (y * 112 + x) * 3 + k;
            sum += Math.abs(a[o] - face.data[o]);
            count++;
          }
        }
      }
      return sum / count;
    };
    const mad = centreMad(image.data);
    const onePixelOff = centreMad(warpAffine(face, [[1, 0, 1], [0, 1, 0]]).data);
    assert(mad < 4 && mad < 0.7 * onePixelOff, `mean abs diff ${mad} vs ${onePixelOff} (1 px)`);
  },
});

Deno.test("alignFace scales the template for other output sizes", () => {
  const img = { data: new Uint8Array(300 * 300 * 3), width: 300, height: 300, channels: 3 };
  const lm = ARCFACE_TEMPLATE_112.map(([x, y]) => [x * 2 + 5, y * 2 + 7] as [number, number]);
  const { image, matrix } = alignFace(img, lm, { size: 224 });
  assertEquals([image.width, image.height], [224, 224]);
  const q = applyAffine(matrix, lm[2]);
  assert(Math.abs(q[0] - ARCFACE_TEMPLATE_112[2][0] * 2) < 1e-9);
});

Deno.test("alignFace: template arcface_96 puts the landmarks 8 px left of arcface's", () => {
  const img: RawImage = {
    data: new Uint8Array(200 * 200 * 3),
    width: 200,
    height: 200,
    channels: 3,
  };
  const pts = ARCFACE_TEMPLATE_112.map(([x, y]) =>
    [x * 1.5 + 20, y * 1.5 + 10] as [number, number]
  );
  const a = alignFace(img, pts).matrix;
  const b = alignFace(img, pts, { template: "arcface_96" }).matrix;
  for (const p of pts) {
    const [ax, ay] = applyAffine(a, p);
    const [bx, by] = applyAffine(b, p);
    assert(Math.abs(ax - bx - 8) < 1e-6, `x: ${ax} vs ${bx}`);
    assert(Math.abs(ay - by) < 1e-6, `y: ${ay} vs ${by}`);
  }
});
