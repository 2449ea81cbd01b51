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
