/**
 * The one detection engine behind every alignment of many photos (`alignTree` for
 * `deno task align`, `alignImageSource` for the detector fallback of `kface:` / `aligned:`
 * sources): the files go to a {@linkcode DetectorPool} (Workers, padded retry inside them),
 * and {@linkcode pickFace} keeps one face per photo. Results come back in input order, one per
 * path; a file that does not decode has `error`, one without a face over the floor has no
 * `face` (the caller names both; nothing is dropped silently).
 *
 * @module
 */
import type { AlignTemplateName } from "../data/align/mod.ts";
import type { DetectorPool } from "./detector_pool.ts";
import { DEFAULT_MIN_SCORE, type DetectedFace } from "./face_types.ts";
import { pickFace } from "./pick_face.ts";

/** Options of {@linkcode detectAndPick}. */
export interface DetectAndPickOptions {
  /** Alignment geometry of the crops (default "arcface"). */
  template?: AlignTemplateName;
  /** Side of the crops (default 112). */
  size?: number;
  /** Which face of a photo with several (default "largest"). */
  policy?: "largest" | "central";
  /** Score floor of a face (default 0.5). */
  minScore?: number;
  /** Retry photos without a face on a padded copy (default true). */
  padRetry?: boolean;
  /** Called after each file with (files done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** One photo's result of {@linkcode detectAndPick}. */
export interface PickedDetection {
  /** The path as given. */
  path: string;
  /** The policy's face (with its aligned crop); undefined when none passed the floor. */
  face?: DetectedFace;
  /** Faces over the score floor (more than 1: the policy chose). */
  facesOverFloor: number;
  /** True when the faces came from the padded retry. */
  padded: boolean;
  /** Why the file gave no result (unreadable, not an image, ...). */
  error?: string;
}

/** Detects the faces of every file of `paths` on `pool` and picks one per file. */
export async function detectAndPick(
  pool: DetectorPool,
  paths: string[],
  options: DetectAndPickOptions = {},
): Promise<PickedDetection[]> {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const results = await pool.detectFiles(paths, {
    minScore,
    size: options.size ?? 112,
    template: options.template ?? "arcface",
    padRetry: options.padRetry ?? true,
    onProgress: options.onProgress,
  });
  return results.map((r) => {
    if (r.error) return { path: r.path, facesOverFloor: 0, padded: false, error: r.error };
    const face = pickFace(r.faces, r, { policy: options.policy ?? "largest", minScore });
    return {
      path: r.path,
      face,
      facesOverFloor: r.faces.filter((f) => f.score >= minScore).length,
      padded: !!r.padded,
    };
  });
}
