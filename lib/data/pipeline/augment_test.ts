import { assert, assertAlmostEquals, assertEquals } from "../../../tests/support/assert.ts";
import { augmentImage, drawAugment } from "./augment.ts";
import {
  adjustBrightness,
  adjustSaturation,
  crop,
  divideValues,
  flipLeftRight,
  resizeBilinear,
  type RgbImage,
} from "./image_ops.ts";
import { resolveAugment } from "./options.ts";
import { createRng } from "../../random/seeded_rng.ts";

function randomImage(h: number, w: number, seed: number): RgbImage {
  const rng = createRng(seed);
  const data = new Float32Array(h * w * 3).map(() => Math.floor(rng.next() * 256));
  return { data, height: h, width: w };
}

Deno.test("augmentImage = resize 128 -> crop at the drawn offsets -> flip -> saturation -> brightness -> /255", () => {
  const opts = resolveAugment({ clip: false }, 112);
  const src = randomImage(112, 112, 3);
  for (const seed of [1, 2, 3, 4]) {
    const d = drawAugment(createRng(seed), 128, 128, opts);
    assert(d.top >= 0 && d.top <= 16 && d.left >= 0 && d.left <= 16);
    assert(d.saturation >= 0.6 && d.saturation < 1.4);
    assert(Math.abs(d.brightness) <= 0.4);
    // Same steps by hand.
    let x = resizeBilinear(src, 128, 128);
    x = crop(x, d.top, d.left, 112, 112);
    if (d.flip) flipLeftRight(x);
    adjustSaturation(x, d.saturation);
    adjustBrightness(x, d.brightness);
    divideValues(x, 255);
    assertEquals(augmentImage(src, createRng(seed), opts), x.data);
  }
});

Deno.test("augment switches: centre crop at 8, flip draws, draws independent of what is off", () => {
  const src = randomImage(112, 112, 5);
  const cropOnly = resolveAugment({ flip: false, saturation: false, brightness: false }, 112);
  const centre = resolveAugment({
    randomCrop: false,
    flip: false,
    saturation: false,
    brightness: false,
  }, 112);
  assertEquals(drawAugment(createRng(1), 128, 128, centre).top, 8);
  assertEquals(drawAugment(createRng(1), 128, 128, centre).left, 8);
  // The crop drawn with everything on equals the crop drawn with the rest off.
  const all = drawAugment(createRng(9), 128, 128, resolveAugment({}, 112));
  const some = drawAugment(createRng(9), 128, 128, cropOnly);
  assertEquals([all.top, all.left], [some.top, some.left]);
  // Flip happens for about half of the seeds.
  const flips = Array.from(
    { length: 400 },
    (_, s) => drawAugment(createRng(s), 128, 128, resolveAugment({}, 112)).flip,
  ).filter(Boolean).length;
  assert(flips > 150 && flips < 250, `${flips} flips of 400`);
  // augment: false is the identity (/255) on a 112x112 image.
  const none = augmentImage(src, createRng(1), resolveAugment(false, 112));
  none.forEach((v, i) => assertEquals(v, Math.fround(src.data[i] / 255)));
});

Deno.test("brightness: '0-255' adds delta before /255 (arcface-tf2), '0-1' adds delta after; clip", () => {
  const flat: RgbImage = {
    data: new Float32Array(112 * 112 * 3).fill(100),
    height: 112,
    width: 112,
  };
  const base = { resize: false as const, flip: false, saturation: false as const, clip: false };
  const d = drawAugment(createRng(4), 112, 112, resolveAugment(base, 112)).brightness;
  const a = augmentImage(flat, createRng(4), resolveAugment(base, 112));
  assertAlmostEquals(a[0], (100 + d) / 255, 1e-6);
  const b = augmentImage(
    flat,
    createRng(4),
    resolveAugment({ ...base, brightnessScale: "0-1" }, 112),
  );
  assertAlmostEquals(b[0], 100 / 255 + d, 1e-6);
  // Clip keeps [0, 1]; without it arcface-tf2's overshoot shows.
  const white: RgbImage = {
    data: new Float32Array(112 * 112 * 3).fill(255),
    height: 112,
    width: 112,
  };
  const seed = [...Array(50).keys()].find((s) =>
    drawAugment(createRng(s), 112, 112, resolveAugment(base, 112)).brightness > 0
  )!;
  assert(augmentImage(white, createRng(seed), resolveAugment(base, 112))[0] > 1);
  assertEquals(
    augmentImage(white, createRng(seed), resolveAugment({ ...base, clip: true }, 112))[0],
    1,
  );
});
