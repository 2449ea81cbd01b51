/**
 * The standard ArcFace / insightface 5-point landmark template for 112x112 crops.
 *
 * @module
 */
import type { Point } from "./similarity_transform.ts";

/**
 * Where the 5 landmarks land in an aligned 112x112 face, in pixel coordinates (x right, y down,
 * pixel centres at integers, as OpenCV): left eye, right eye, nose tip, left and right mouth
 * corner ("left" = image left). The same geometry as MS1M "align_112" and the LFW here.
 */
export const ARCFACE_TEMPLATE_112: readonly Point[] = Object.freeze([
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
] as Point[]);
