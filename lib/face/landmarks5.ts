/**
 * The five ArcFace points from the 68 iBUG 300-W landmarks.
 *
 * iBUG indices (0-based) are subject-relative: 36-41 is the subject's right eye, which appears
 * on the IMAGE left of a frontal face. The ArcFace template's first point is the image-left eye
 * (smaller x), so the order below is image-left first, matching it.
 *
 * @module
 */
import type { Point } from "./face_types.ts";
import { FaceDetectionError } from "./face_types.ts";

function mean(points: readonly Point[], from: number, to: number): Point {
  let x = 0, y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i][0];
    y += points[i][1];
  }
  const n = to - from + 1;
  return [x / n, y / n];
}

/**
 * Eye centres (mean of 36-41 and of 42-47), nose tip (30), mouth corners (48, 54): the
 * ArcFace template's order (image-left eye, image-right eye, nose, image-left and image-right
 * mouth corner).
 */
export function landmarks5From68(points68: readonly Point[]): Point[] {
  if (points68.length !== 68) {
    throw new FaceDetectionError(
      `landmarks5From68: expected 68 points (iBUG 300-W), got ${points68.length}.`,
    );
  }
  return [
    mean(points68, 36, 41),
    mean(points68, 42, 47),
    [points68[30][0], points68[30][1]],
    [points68[48][0], points68[48][1]],
    [points68[54][0], points68[54][1]],
  ];
}
