/**
 * TEMPORARY type-only copy of the lib/face detect API contract (issue 11), so this folder
 * type-checks before lib/face lands; replaced by imports from lib/face/mod.ts after the merge.
 *
 * @module
 */
import type { Affine2x3, Point, RawImage } from "../../data/align/mod.ts";

/** Detector box in input pixels. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One detected face (see lib/face). */
export interface DetectedFace {
  box: FaceBox;
  score: number;
  landmarks68: Point[];
  landmarks5: Point[];
  aligned: RawImage;
  matrix: Affine2x3;
}

/** Detect options (see lib/face). */
export interface DetectOptions {
  detector?: "ssd" | "tiny";
  minScore?: number;
  maxFaces?: number;
  size?: number;
}

/** A Worker pool of detectors (see lib/face). */
export interface DetectorPool {
  detectFiles(
    paths: string[],
    options?: DetectOptions & { onProgress?: (done: number, total: number) => void },
  ): Promise<
    Array<{ path: string; faces: DetectedFace[]; width: number; height: number; error?: string }>
  >;
  close(): Promise<void>;
}

/** The lib/face calls the chain benchmark needs. */
export interface FaceLib {
  createDetectorPool(
    options?: { workers?: number; detector?: "ssd" | "tiny"; backend?: string },
  ): Promise<DetectorPool>;
  pickFace(
    faces: DetectedFace[],
    image: { width: number; height: number },
    options?: { policy?: "largest" | "central"; minScore?: number },
  ): DetectedFace | undefined;
}
