/**
 * Where the 5 landmarks sit in the source crops the chain benchmark starts from. The shared LFW
 * 112x112 crops (`../shared/data/lfw_112x112`) are NOT on ARCFACE_TEMPLATE_112: their faces sit
 * 8 px further left, where the SphereFace 96x112 template puts them (ArcFace 112 = SphereFace
 * 96x112 + 8 px in x), in a 112-wide image. Measured two ways (2026-12-02): the mirror-symmetry
 * axis of the mean of 300 crops is at x = 47.5 (the template's eye midpoint is 55.9, SphereFace's
 * 47.9), and lib/face's detector on 31 crops pasted at a known transform found every point
 * ~9 px left of the template (mean x offsets -8.0 .. -9.3, y within -2.5 .. 0). Scoring against
 * the template itself would add those 8 px to every error.
 *
 * @module
 */
import { ARCFACE_TEMPLATE_112, type Point } from "../../data/align/mod.ts";

/** The landmarks of the shared LFW 112x112 crops: ARCFACE_TEMPLATE_112 - (8, 0). */
export const LFW_112_LANDMARKS: readonly Point[] = Object.freeze(
  ARCFACE_TEMPLATE_112.map(([x, y]) => [x - 8, y] as Point),
);
