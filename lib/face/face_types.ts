/**
 * The types of the face detector (the detect API other modules code against) and its typed
 * error.
 *
 * @module
 */
import type { Affine2x3, AlignTemplateName, Point, RawImage } from "../data/align/mod.ts";

export type { Affine2x3, Point, RawImage };

/** A detector box in input-image pixels (top-left corner, size). */
export interface FaceBox {
  /** Left edge, px. */
  x: number;
  /** Top edge, px. */
  y: number;
  /** Width, px. */
  width: number;
  /** Height, px. */
  height: number;
}

/** One detected face, with its landmarks and the crop aligned to the ArcFace template. */
export interface DetectedFace {
  /** Detector box in input pixels. */
  box: FaceBox;
  /** Detector confidence 0..1. */
  score: number;
  /** 68 points in input pixels (iBUG 300-W order). */
  landmarks68: Point[];
  /** Left eye centre, right eye centre, nose tip, left and right mouth corner (image left/right,
   * as in the ArcFace template), input pixels. */
  landmarks5: Point[];
  /** size x size RGB crop aligned to the ArcFace template. */
  aligned: RawImage;
  /** Input -> aligned similarity (from lib/data/align). */
  matrix: Affine2x3;
}

/** The two detectors face-api ships. */
export type DetectorKind = "ssd" | "tiny";

/** Options of a detection call. */
export interface DetectOptions {
  /** "ssd" (SSD MobileNetV1, default) or "tiny" (Tiny Face Detector). Used by
   * {@linkcode detectFaces}; a loaded {@linkcode FaceDetector} keeps its own. */
  detector?: DetectorKind;
  /** Score floor, default 0.5. */
  minScore?: number;
  /** At most this many faces, largest first (default 10). */
  maxFaces?: number;
  /** Side of the aligned crop, default 112 (the template is scaled by size / 112). */
  size?: number;
  /** Alignment geometry, default "arcface" (MS1M's); "arcface_96" matches the shared LFW crops. */
  template?: AlignTemplateName;
}

/** A loaded detector + landmark net on the current TF.js backend. */
export interface FaceDetector {
  /** Which detector runs. */
  readonly kind: DetectorKind;
  /** Faces in `image`, sorted by box area, largest first. */
  detect(image: RawImage, options?: DetectOptions): Promise<DetectedFace[]>;
  /** Frees the weights. */
  dispose(): void;
}

/** Bad input to the face detector (not an image, missing file, wrong shape, ...). */
export class FaceDetectionError extends Error {
  /** `message` says what was wrong, where, and what to do. */
  constructor(message: string) {
    super(message);
    this.name = "FaceDetectionError";
  }
}

/** Default score floor. */
export const DEFAULT_MIN_SCORE = 0.5;
/** Default face count limit. */
export const DEFAULT_MAX_FACES = 10;
