import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { KFaceInfoError, parseKFaceInfo } from "./kface_info.ts";

const IMG = { width: 400, height: 300 };
const FIVE = "100 120\n160 121\n130 150\n110 180\n150 181\n";

Deno.test("K-Face info files: boxes, 5 and 68 points, labels, formats", () => {
  assertEquals(parseKFaceInfo("10 20 100 120", IMG).box, { x: 10, y: 20, width: 100, height: 120 });
  // x y w h would run past the 400x300 image; x1 y1 x2 y2 fits: corners
  assertEquals(parseKFaceInfo("150 100 350 280", IMG).box, {
    x: 150,
    y: 100,
    width: 200,
    height: 180,
  });
  assertEquals(parseKFaceInfo("bbox_xyxy: 10, 20, 110, 140", IMG).box, {
    x: 10,
    y: 20,
    width: 100,
    height: 120,
  });
  assertEquals(parseKFaceInfo("10 20 110 140", IMG, { boxFormat: "xyxy" }).box!.width, 100);
  const five = parseKFaceInfo(FIVE, IMG);
  assertEquals([five.points, five.landmarks5![2], five.box], [5, [130, 150], undefined]);
  // 10 numbers on one labelled line + a box: points win, box kept
  const both = parseKFaceInfo("BB 90 100 90 100\nlandmark=" + FIVE.replace(/\n/g, " "), IMG);
  assertEquals([both.points, both.landmarks5!.length, both.box!.width], [5, 5, 90]);
  const p68 = Array.from({ length: 68 }, (_, i) => `${100 + i} ${150 + (i % 7)}`).join(" ");
  const r68 = parseKFaceInfo(p68, IMG);
  assertEquals([r68.points, r68.landmarks5!.length], [68, 5]);
});

Deno.test("K-Face info files: unusable ones throw KFaceInfoError (-> the detector)", () => {
  for (
    const bad of [
      "",
      "hello",
      "1 2 3",
      "1 2 3 4 5 6",
      "bbox 1 2 3",
      "10 10 0 0",
      FIVE.replace("100 120", "5000 120"),
    ]
  ) assertThrows(() => parseKFaceInfo(bad, IMG, { where: "C1.txt" }), KFaceInfoError);
});
