import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import type { Point } from "./face_types.ts";
import { FaceDetectionError } from "./face_types.ts";
import { landmarks5From68 } from "./landmarks5.ts";

Deno.test("landmarks5From68: eye means of 36-41 / 42-47, nose 30, mouth corners 48 and 54", () => {
  // Every point unique: x = index, y = 1000 + index.
  const pts: Point[] = Array.from({ length: 68 }, (_, i) => [i, 1000 + i] as Point);
  const five = landmarks5From68(pts);
  assertEquals(five, [
    [38.5, 1038.5], // mean of 36..41
    [44.5, 1044.5], // mean of 42..47
    [30, 1030],
    [48, 1048],
    [54, 1054],
  ]);
});

Deno.test("landmarks5From68 rejects anything but 68 points", () => {
  assertThrows(() => landmarks5From68([[0, 0]]), FaceDetectionError, "expected 68 points");
});
