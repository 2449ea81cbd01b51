/**
 * 5-landmark face alignment to the ArcFace 112x112 template (what insightface's `norm_crop`
 * does): estimate the similarity from the detected landmarks to the template, warp.
 *
 * @module
 */
import { ARCFACE_TEMPLATE_112 } from "./arcface_template.ts";
import { type Affine2x3, estimateSimilarityTransform, type Point } from "./similarity_transform.ts";
import { type BorderMode, type RawImage, warpAffine } from "./warp_affine.ts";

/** Options of {@linkcode alignFace}. */
export interface AlignOptions {
  /** Output size (default 112); the template is scaled by size / 112. */
  size?: number;
  /** Border mode of the warp (default "constant" with 0, like insightface). */
  border?: BorderMode;
}

/** An aligned face and the transform that produced it. */
export interface AlignedFace {
  /** size x size pixels, same channels as the input (RGB in, RGB out). */
  image: RawImage;
  /** The similarity from input-image to aligned-image coordinates. */
  matrix: Affine2x3;
}

/**
 * Aligns a face: the similarity taking `landmarks5` (left eye, right eye, nose, left and right
 * mouth corner, in input pixel coordinates) onto {@linkcode ARCFACE_TEMPLATE_112}, then a
 * bilinear warp to size x size.
 *
 * @param image the decoded photo (e.g. RGB from sharp `.raw()`)
 * @param landmarks5 the 5 landmarks [5][2] from a detector (RetinaFace, MTCNN, ...)
 */
export function alignFace(
  image: RawImage,
  landmarks5: readonly Point[],
  options: AlignOptions = {},
): AlignedFace {
  const size = options.size ?? 112;
  const k = size / 112;
  const template = ARCFACE_TEMPLATE_112.map(([x, y]) => [x * k, y * k] as Point);
  const matrix = estimateSimilarityTransform(landmarks5, template);
  const aligned = warpAffine(image, matrix, {
    width: size,
    height: size,
    border: options.border ?? "constant",
  });
  return { image: aligned, matrix };
}
