/**
 * Which face of a photo to keep when one face per photo is wanted.
 *
 * Policy: drop faces scoring under `minScore` (default 0.5); of the rest take
 * - "largest" (default): the largest box area (the subject of a portrait or a K-Face frame);
 * - "central": the box centre closest to the image centre, ties broken by larger area (group
 *   photos where the subject stands in the middle).
 * No face left -> undefined (the caller names the photo; it is never dropped silently).
 *
 * @module
 */
import { DEFAULT_MIN_SCORE, type DetectedFace } from "./face_types.ts";

/** Options of {@linkcode pickFace}. */
export interface PickFaceOptions {
  /** "largest" (default) or "central". */
  policy?: "largest" | "central";
  /** Score floor (default 0.5). */
  minScore?: number;
}

/** The face to keep from `faces` of an image of `image`'s size (see the module doc). */
export function pickFace(
  faces: DetectedFace[],
  image: { width: number; height: number },
  options: PickFaceOptions = {},
): DetectedFace | undefined {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const policy = options.policy ?? "largest";
  const area = (f: DetectedFace) => f.box.width * f.box.height;
  const cx = image.width / 2, cy = image.height / 2;
  const dist = (f: DetectedFace) =>
    Math.hypot(f.box.x + f.box.width / 2 - cx, f.box.y + f.box.height / 2 - cy);
  let best: DetectedFace | undefined;
  for (const f of faces) {
    if (f.score < minScore) continue;
    if (!best) best = f;
    else if (policy === "largest") {
      if (area(f) > area(best)) best = f;
    } else {
      const d = dist(f), db = dist(best);
      if (d < db || (d === db && area(f) > area(best))) best = f;
    }
  }
  return best;
}
