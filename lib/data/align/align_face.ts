/**
 * 5-landmark face alignment to the ArcFace 112x112 template (what insightface's `norm_crop`
 * does): estimate the similarity from the detected landmarks to the template, warp.
 *
 * @module
 */
import { alignTemplate, type AlignTemplateName } from "./arcface_template.ts";
import { type Affine2x3, estimateSimilarityTransform, type Point } from "./similarity_transform.ts";
import { type BorderMode, type RawImage, warpAffine } from "./warp_affine.ts";

/** Options of {@linkcode alignFace}. */
export interface AlignOptions {
  /** Output size (default 112); the template is scaled by size / 112. */
  size?: number;
  /** Target geometry (default "arcface", MS1M's; "arcface_96": the shared LFW crops'). */
  template?: AlignTemplateName;
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
 * mouth corner, in input pixel coordinates) onto the template (`options.template`), then a
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
  const template = alignTemplate(options.template, size);
  const matrix = estimateSimilarityTransform(landmarks5, template);
  const aligned = warpAffine(image, matrix, {
    width: size,
    height: size,
    border: options.border ?? "constant",
  });
  return { image: aligned, matrix };
}
