import {
  alignFace,
  applyAffine,
  ARCFACE_96_TEMPLATE_112 as LFW_112_LANDMARKS,
  type Point,
} from "../../data/align/mod.ts";
import { assert, assertAlmostEquals, assertEquals } from "../../../tests/support/assert.ts";
import { landmarkErrors, quantile, summarizeLandmarkErrors } from "./landmark_error.ts";
import { makeRawPhoto } from "./raw_photo.ts";

const grey = {
  data: new Uint8Array(112 * 112 * 3).fill(128),
  width: 112,
  height: 112,
  channels: 3,
};

Deno.test("quantile: numpy's linear interpolation", () => {
  assertAlmostEquals(quantile([1, 2, 3, 4], 0.95), 3.85, 1e-12);
  assertEquals(quantile([5], 0.95), 5);
  assert(Number.isNaN(quantile([], 0.5)));
});

Deno.test("landmarkErrors: landmarks off by 10 crop px give errors of ~10 px", () => {
  const p = makeRawPhoto(grey, { seed: 4 });
  const s = p.target.scale;
  const shifted = p.landmarks5.map(([x, y]) => [x + 10 * s, y] as Point);
  const err = landmarkErrors(alignFace(p.image, shifted).matrix, p.target.cropToCanvas);
  for (const e of err) assertAlmostEquals(e, 10, 1e-6);
});

Deno.test("landmarkErrors: size option scores a 150 crop in 112 px units", () => {
  const p = makeRawPhoto(grey, { seed: 5 });
  const a = alignFace(p.image, p.landmarks5, { size: 150 });
  assert(Math.max(...landmarkErrors(a.matrix, p.target.cropToCanvas, { size: 150 })) < 1e-6);
  const wrong = landmarkErrors(a.matrix, p.target.cropToCanvas);
  assert(Math.max(...wrong) > 5, "scoring a 150 crop as 112 should be off");
});

Deno.test("summarizeLandmarkErrors: no-face and wrong-face photos are counted, not averaged", () => {
  const s = summarizeLandmarkErrors([
    { errors: [1, 1, 1, 1, 1] },
    { errors: [3, 3, 3, 3, 3] },
    { errors: null },
    { errors: [40, 50, 60, 70, 80] },
  ]);
  assertEquals([s.photos, s.noFace, s.wrongFace], [4, 1, 1]);
  assertAlmostEquals(s.mean, 2, 1e-12);
  assertEquals(s.max, 3);
  // A photo at the known transform: the truth maps onto itself.
  const p = makeRawPhoto(grey, { seed: 6 });
  const back = applyAffine(alignFace(p.image, p.landmarks5).matrix, p.landmarks5[0]);
  assertAlmostEquals(back[0], 38.2946, 1e-6);
});

Deno.test("landmarkErrors: scored against the crop's own landmarks, not the template", () => {
  const p = makeRawPhoto(grey, { seed: 9, cropLandmarks: LFW_112_LANDMARKS });
  // A perfect chain finds the LFW points and aligns them onto the template.
  const m = alignFace(p.image, p.landmarks5).matrix;
  const ok = landmarkErrors(m, p.target.cropToCanvas, { cropLandmarks: LFW_112_LANDMARKS });
  assert(Math.max(...ok) < 1e-6, `errors ${ok}`);
  // Scored against the template instead, every point is off by the 8 px of the crop geometry.
  for (const e of landmarkErrors(m, p.target.cropToCanvas)) assertAlmostEquals(e, 8, 1e-6);
  // Aligned onto the crops' own template instead: scored against that template.
  const m96 = alignFace(p.image, p.landmarks5, { template: "arcface_96" }).matrix;
  const opts = { cropLandmarks: LFW_112_LANDMARKS, template: "arcface_96" as const };
  assert(Math.max(...landmarkErrors(m96, p.target.cropToCanvas, opts)) < 1e-6);
});
