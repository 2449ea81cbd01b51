import { assertEquals } from "../../tests/support/assert.ts";
import type { DetectedFace } from "./face_types.ts";
import { pickFace } from "./pick_face.ts";

function face(x: number, y: number, size: number, score: number): DetectedFace {
  return {
    box: { x, y, width: size, height: size },
    score,
    landmarks68: [],
    landmarks5: [],
    aligned: { data: new Uint8Array(0), width: 0, height: 0, channels: 3 },
    matrix: [[1, 0, 0], [0, 1, 0]],
  };
}

const image = { width: 1000, height: 800 };
const big = face(0, 0, 300, 0.9); // corner
const centred = face(450, 350, 100, 0.8); // centre (500, 400)
const faint = face(300, 200, 400, 0.3); // largest of all but under the floor

Deno.test("pickFace 'largest' (default) drops faces under the score floor first", () => {
  assertEquals(pickFace([centred, faint, big], image), big);
  assertEquals(pickFace([centred, faint, big], image, { minScore: 0.2 }), faint);
});

Deno.test("pickFace 'central' takes the box centre nearest the image centre, ties by area", () => {
  assertEquals(pickFace([big, centred], image, { policy: "central" }), centred);
  const sameCentreBigger = face(400, 300, 200, 0.7); // centre (500, 400) too
  assertEquals(
    pickFace([centred, sameCentreBigger], image, { policy: "central" }),
    sameCentreBigger,
  );
});

Deno.test("pickFace gives undefined when no face passes", () => {
  assertEquals(pickFace([], image), undefined);
  assertEquals(pickFace([faint], image), undefined);
});
