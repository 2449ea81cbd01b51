import { assert, assertEquals } from "../../tests/support/assert.ts";
import { applyAffine, type RawImage } from "../data/align/mod.ts";
import type { DetectedFace, FaceDetector } from "./face_types.ts";
import { detectWithPadRetry, padImage } from "./pad_retry.ts";

const img = (w: number, h: number, v = 10): RawImage => ({
  data: new Uint8Array(w * h * 3).fill(v),
  width: w,
  height: h,
  channels: 3,
});

/** A detector that sees one face only in images wider than `minWidth`, at a fixed place. */
function fakeDetector(minWidth: number): FaceDetector & { calls: number[] } {
  const calls: number[] = [];
  return {
    kind: "ssd",
    calls,
    detect(image: RawImage): Promise<DetectedFace[]> {
      calls.push(image.width);
      if (image.width < minWidth) return Promise.resolve([]);
      const face: DetectedFace = {
        box: { x: 100, y: 110, width: 50, height: 60 },
        score: 0.9,
        landmarks68: [[120, 130]],
        landmarks5: [[110, 120], [140, 120], [125, 135], [112, 150], [138, 150]],
        aligned: img(112, 112),
        matrix: [[0.5, 0, -10], [0, 0.5, -20]], // padded -> aligned
      };
      return Promise.resolve([face]);
    },
    dispose() {},
  };
}

Deno.test("padImage: the photo in the middle, border of its mean colour", () => {
  const src = img(4, 2, 0);
  src.data.set([30, 60, 90], 0); // one pixel differs: mean R = 30 / 8
  const { image, offset } = padImage(src, 3);
  assertEquals([image.width, image.height, offset], [10, 8, [3, 3]]);
  assertEquals([...image.data.subarray(0, 3)], [4, 8, 11]); // round(30/8), round(60/8), ...
  assertEquals([...image.data.subarray((3 * 10 + 3) * 3, (3 * 10 + 3) * 3 + 3)], [30, 60, 90]);
});

Deno.test("detectWithPadRetry: no face -> padded retry, results mapped back to the input", async () => {
  const d = fakeDetector(150);
  const r = await detectWithPadRetry(d, img(100, 80)); // border 0.75 * 100 = 75 px
  assertEquals(d.calls, [100, 250]);
  assert(r.padded);
  const f = r.faces[0];
  assertEquals(f.box, { x: 25, y: 35, width: 50, height: 60 });
  assertEquals(f.landmarks5[0], [35, 45]);
  assertEquals(f.landmarks68[0], [45, 55]);
  // The matrix takes input pixels where the padded matrix took padded ones.
  assertEquals(
    applyAffine(f.matrix, [35, 45]),
    applyAffine([[0.5, 0, -10], [0, 0.5, -20]], [
      110,
      120,
    ]),
  );
  const direct = fakeDetector(0);
  const r2 = await detectWithPadRetry(direct, img(100, 80));
  assertEquals([direct.calls.length, r2.padded, r2.faces[0].box.x], [1, false, 100]);
  const none = fakeDetector(1e9);
  const r3 = await detectWithPadRetry(none, img(100, 80));
  assertEquals([r3.faces.length, r3.padded], [0, false]);
});

Deno.test("detectWithPadRetry mode always: a face seen only in the padded copy joins the others", async () => {
  // Sees a small face everywhere, and a large one only on the padded (wider) image.
  const calls: number[] = [];
  const small: DetectedFace = {
    box: { x: 5, y: 5, width: 10, height: 10 },
    score: 0.9,
    landmarks68: [[10, 10]],
    landmarks5: [[7, 8], [13, 8], [10, 10], [8, 13], [12, 13]],
    aligned: img(112, 112),
    matrix: [[1, 0, 0], [0, 1, 0]],
  };
  const d: FaceDetector = {
    kind: "ssd",
    detect(image: RawImage): Promise<DetectedFace[]> {
      calls.push(image.width);
      if (image.width < 150) return Promise.resolve([small]);
      const big = { ...small, box: { x: 100, y: 100, width: 80, height: 80 }, score: 0.8 };
      const smallThere = { ...small, box: { x: 80, y: 80, width: 10, height: 10 }, score: 0.7 };
      return Promise.resolve([big, smallThere]);
    },
    dispose() {},
  };
  const empty = await detectWithPadRetry(d, img(100, 80));
  assertEquals([calls, empty.faces.length, empty.padded], [[100], 1, false]);
  calls.length = 0;
  const both = await detectWithPadRetry(d, img(100, 80), { mode: "always" });
  assertEquals(calls, [100, 250]);
  assert(both.padded);
  // Largest first: the padded copy's big face (mapped back by the 75 px border), then the small
  // one once (the padded copy's duplicate of it has the lower score and is dropped).
  assertEquals(both.faces.map((f) => f.box), [
    { x: 25, y: 25, width: 80, height: 80 },
    { x: 5, y: 5, width: 10, height: 10 },
  ]);
  assertEquals(both.faces[1].score, 0.9);
});
