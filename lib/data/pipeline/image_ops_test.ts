import { assertAlmostEquals, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import {
  adjustBrightness,
  adjustSaturation,
  crop,
  divideValues,
  flipLeftRight,
  resizeBilinear,
  type RgbImage,
} from "./image_ops.ts";

/** An image whose three channels all hold `values` ([h, w] row-major). */
function grey(values: number[], height: number, width: number): RgbImage {
  const data = new Float32Array(height * width * 3);
  values.forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return { data, height, width };
}
const channel0 = (img: RgbImage) => Array.from(img.data.filter((_, i) => i % 3 === 0));

Deno.test("resizeBilinear: TF2 half-pixel centres, clamped at the edges (hand-computed)", () => {
  // 1x2 -> 1x4: sources x = -0.25, 0.25, 0.75, 1.25 -> 0, 25, 75, 100.
  assertEquals(channel0(resizeBilinear(grey([0, 100], 1, 2), 1, 4)), [0, 25, 75, 100]);
  // 1x4 -> 1x2: sources 0.5, 2.5 -> means of neighbours (no antialiasing).
  assertEquals(channel0(resizeBilinear(grey([0, 10, 20, 40], 1, 4), 1, 2)), [5, 30]);
  // 2x2 -> 3x3: scale 2/3, sources -1/6, 5/6, 11/6 (clamped to 0..1).
  const r = channel0(resizeBilinear(grey([0, 30, 60, 90], 2, 2), 3, 3));
  const at = (y: number, x: number) => {
    const c = (s: number) => Math.min(Math.max(s, 0), 1);
    const sy = c((y + 0.5) * 2 / 3 - 0.5), sx = c((x + 0.5) * 2 / 3 - 0.5);
    return 60 * sy + 30 * sx;
  };
  r.forEach((v, i) => assertAlmostEquals(v, at(Math.floor(i / 3), i % 3), 1e-4));
  // Same size: an identical copy.
  const id = grey([1, 2, 3, 4], 2, 2);
  assertEquals(resizeBilinear(id, 2, 2).data, id.data);
});

Deno.test("crop: offsets pick the right window; out of bounds throws", () => {
  const img = grey(Array.from({ length: 16 }, (_, i) => i), 4, 4); // value = y * 4 + x
  const c = crop(img, 1, 2, 2, 2);
  assertEquals(channel0(c), [6, 7, 10, 11]);
  assertThrows(() => crop(img, 3, 0, 2, 2), RangeError);
});

Deno.test("flipLeftRight mirrors each row, channels kept in order", () => {
  const img: RgbImage = {
    data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    height: 1,
    width: 3,
  };
  flipLeftRight(img);
  assertEquals(Array.from(img.data), [7, 8, 9, 4, 5, 6, 1, 2, 3]);
});

Deno.test("adjustSaturation: HSV scaling matches the closed form v - f (v - c), clipped at s = 1", () => {
  // Unclipped: each channel moves away from / towards the max: c' = v - f (v - c).
  const cases: [number[], number][] = [
    [[200, 100, 50], 1.2], // s = 0.75 -> 0.9; red max
    [[30, 200, 120], 0.5], // green max
    [[10, 60, 240], 1.3], // blue max, s = 0.958 -> 1.246 clipped: below
    [[50, 50, 50], 1.4], // grey: unchanged
  ];
  for (const [rgb, f] of cases) {
    const img: RgbImage = { data: Float32Array.from(rgb), height: 1, width: 1 };
    adjustSaturation(img, f);
    const v = Math.max(...rgb), m = Math.min(...rgb);
    const s = v > 0 ? (v - m) / v : 0;
    const fEff = s * f > 1 ? 1 / s : f; // the clip of s at 1 caps the factor
    rgb.forEach((c, i) => assertAlmostEquals(img.data[i], v - fEff * (v - c), 1e-3));
  }
  // The blue-max case hit the clip: its min channel is 0.
  const img: RgbImage = { data: Float32Array.from([10, 60, 240]), height: 1, width: 1 };
  adjustSaturation(img, 1.3);
  assertAlmostEquals(img.data[0], 0, 1e-3);
  // Same result on the 0..1 scale (the op is scale-invariant).
  const a: RgbImage = { data: Float32Array.from([200, 100, 50]), height: 1, width: 1 };
  const b: RgbImage = {
    data: Float32Array.from([200 / 255, 100 / 255, 50 / 255]),
    height: 1,
    width: 1,
  };
  adjustSaturation(a, 0.7);
  adjustSaturation(b, 0.7);
  a.data.forEach((v, i) => assertAlmostEquals(v / 255, b.data[i], 1e-6));
});

Deno.test("adjustBrightness adds delta, clips only when asked; divideValues divides", () => {
  const img: RgbImage = { data: Float32Array.from([0, 100, 255]), height: 1, width: 1 };
  adjustBrightness(img, 0.4);
  assertEquals(Array.from(img.data), [0.4, 100.4, 255.4].map(Math.fround));
  adjustBrightness(img, -1, 255);
  assertEquals(Array.from(img.data), [0, 99.4, 254.4].map(Math.fround));
  adjustBrightness(img, 10, 255);
  assertEquals(img.data[2], 255);
  divideValues(img, 255);
  assertEquals(img.data[2], 1);
});
