/**
 * The standard ArcFace / insightface 5-point landmark template for 112x112 crops.
 *
 * @module
 */
import type { Point } from "./similarity_transform.ts";

/**
 * Where the 5 landmarks land in an aligned 112x112 face, in pixel coordinates (x right, y down,
 * pixel centres at integers, as OpenCV): left eye, right eye, nose tip, left and right mouth
 * corner ("left" = image left). The geometry of MS1M "align_112" (insightface's `arcface_src`:
 * the 96x112 template below moved 8 px right to centre it in a 112-wide crop).
 */
export const ARCFACE_TEMPLATE_112: readonly Point[] = Object.freeze([
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
] as Point[]);

/**
 * The same points 8 px to the left: insightface's 96x112 template left where it is in a 112x112
 * crop. This is the geometry of the shared `lfw_112x112` crops: detected landmarks sit a mean
 * 8.9 px left of {@linkcode ARCFACE_TEMPLATE_112} there (34 pairsDevTest faces, spread 1-3 px;
 * the columns' mean brightness peaks at x = 47-48, not 56). Align to it to match those crops.
 */
export const ARCFACE_96_TEMPLATE_112: readonly Point[] = Object.freeze(
  ARCFACE_TEMPLATE_112.map(([x, y]) => [x - 8, y] as Point),
);

/** Names of the alignment templates: see {@linkcode alignTemplate}. */
export type AlignTemplateName = "arcface" | "arcface_96";

/** Valid {@linkcode AlignTemplateName}s, for option parsing and messages. */
export const ALIGN_TEMPLATE_NAMES: readonly AlignTemplateName[] = ["arcface", "arcface_96"];

/**
 * The 5 template points of a named geometry for a size x size crop (scaled by size / 112):
 * "arcface" (MS1M's, the default everywhere) or "arcface_96" (the shared LFW crops').
 */
export function alignTemplate(name: AlignTemplateName = "arcface", size = 112): Point[] {
  const base = name === "arcface_96" ? ARCFACE_96_TEMPLATE_112 : ARCFACE_TEMPLATE_112;
  const k = size / 112;
  return base.map(([x, y]) => [x * k, y * k] as Point);
}
