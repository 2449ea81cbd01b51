/**
 * "Are these two the same person?" for two photos: read, detect + align every face (lib/face)
 * with the template the threshold was measured on, embed the crops exactly as the evaluation
 * does ({@linkcode embedCrops}: preprocessing, flip-sum), L2-normalise, squared L2 distance, and
 * compare with the model's own threshold (see eval_threshold.ts). With several faces in a photo,
 * every A x B pair is tried and the closest pair decides (the result says so).
 *
 * The TF.js backend must be set up first (`setupBackend`: wasm here).
 *
 * @module
 */
import type { RawImage } from "../../data/align/mod.ts";
import {
  type DetectorKind,
  type FaceBox,
  type FaceDetector,
  loadFaceDetector,
  readRgbImage,
} from "../../face/mod.ts";
import { DEFAULT_MIN_SCORE } from "../../face/face_types.ts";
import { embedCrops } from "../extract/embed_crops.ts";
import { l2NormalizeRows, pairDistances } from "../metrics/mod.ts";
import { type FaceEmbedder, loadEmbedder } from "../models/mod.ts";
import {
  loadVerifyThreshold,
  type LoadVerifyThresholdOptions,
  type VerifyThreshold,
} from "./eval_threshold.ts";

/** A photo in which the detector found no face above the score floor. */
export class FaceNotFoundError extends Error {
  override name = "FaceNotFoundError";
}

/** Options of {@linkcode verifyPhotos}. */
export interface VerifyPhotosOptions extends LoadVerifyThresholdOptions {
  /** `face-api` or a model.json path (default: the model of `eval`, else face-api). */
  model?: string;
  /** An already resolved threshold (skips the eval.json lookup). */
  threshold?: VerifyThreshold;
  /** A loaded embedder of the model (kept; default: loaded and disposed here). */
  embedder?: FaceEmbedder;
  /** A loaded detector (kept) or the kind to load (default "ssd"). */
  detector?: FaceDetector | DetectorKind;
  /** Detector score floor (default 0.5). */
  minScore?: number;
  /** Most faces per photo (default 10, largest first). */
  maxFaces?: number;
}

/** The faces of one photo. */
export interface PhotoFaces {
  /** The path, or "photo A/B" for bytes. */
  photo: string;
  width: number;
  height: number;
  /** Every face found (largest first): box and detector score. */
  faces: { box: FaceBox; score: number }[];
  /** Index into `faces` of the face the decision used. */
  used: number;
  /** The used face's aligned 112x112 RGB crop. */
  crop: RawImage;
}

/** What {@linkcode verifyPhotos} returns. */
export interface VerifyResult {
  /** The model spec. */
  model: string;
  /** Squared L2 distance of the L2-normalised embeddings of the used pair. */
  distance: number;
  /** `distance < threshold.value`. */
  same: boolean;
  /** The threshold and its source. */
  threshold: VerifyThreshold;
  a: PhotoFaces;
  b: PhotoFaces;
  /** [facesA][facesB] distances of every pair tried. */
  distances: number[][];
  /** Whether several pairs were tried (the closest decided). */
  bestOfSeveral: boolean;
}

type Photo = string | Uint8Array;

async function facesOf(
  { name, image }: { name: string; image: RawImage },
  label: string,
  detector: FaceDetector,
  threshold: VerifyThreshold,
  options: VerifyPhotosOptions,
) {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const faces = await detector.detect(image, {
    minScore,
    maxFaces: options.maxFaces,
    size: 112,
    template: threshold.template,
  });
  if (faces.length === 0) {
    throw new FaceNotFoundError(
      `No face found in ${label} '${name}' (${image.width}x${image.height}, ${detector.kind} ` +
        `detector, score floor ${minScore}): pass a photo with a visible, frontal face, ` +
        "not filling the whole frame (or lower the score floor).",
    );
  }
  return { name, image, faces };
}

/**
 * Verifies two photos (paths or encoded bytes); see the module doc. Throws a
 * {@linkcode FaceNotFoundError} naming the photo without a face, a `FaceDetectionError` for a
 * missing or undecodable file, an `EvaluationNotFoundError` when the model has no evaluation
 * (before any photo is read).
 */
export async function verifyPhotos(
  photoA: Photo,
  photoB: Photo,
  options: VerifyPhotosOptions = {},
): Promise<VerifyResult> {
  const threshold = options.threshold ?? await loadVerifyThreshold(options.model, options);
  const model = options.model ?? threshold.model;
  // Both photos are read before any net loads: a missing or undecodable file fails fast.
  const read = async (p: Photo, label: string) => ({
    name: typeof p === "string" ? p : label,
    image: await readRgbImage(p),
  });
  const photos = [await read(photoA, "photo A"), await read(photoB, "photo B")];
  const ownDetector = typeof options.detector !== "object";
  const detector = typeof options.detector === "object"
    ? options.detector
    : await loadFaceDetector({ detector: options.detector ?? "ssd" });
  let embedder = options.embedder;
  try {
    const a = await facesOf(photos[0], "photo A", detector, threshold, options);
    const b = await facesOf(photos[1], "photo B", detector, threshold, options);
    embedder ??= await loadEmbedder(model, threshold.modelOptions ?? {});
    const crops = [...a.faces, ...b.faces].map((f) => f.aligned.data); // [nA + nB][112*112*3]
    const e = await embedCrops(embedder, crops, { flip: threshold.flip });
    const sum = e.plain; // [nA + nB, dim]: model(x) + model(flip(x)), as the evaluation
    if (e.flipped) { for (let i = 0; i < sum.length; i++) sum[i] += e.flipped[i]; }
    const normed = l2NormalizeRows(sum, e.dim);
    const pairs: number[] = [];
    for (let i = 0; i < a.faces.length; i++) {
      for (let j = 0; j < b.faces.length; j++) pairs.push(i, a.faces.length + j);
    }
    const d = pairDistances(normed, e.dim, pairs);
    let best = 0;
    for (let k = 1; k < d.length; k++) if (d[k] < d[best]) best = k;
    const ia = Math.floor(best / b.faces.length), ib = best % b.faces.length;
    const distances = a.faces.map((_, i) =>
      Array.from(d.subarray(i * b.faces.length, (i + 1) * b.faces.length))
    );
    const photo = (p: typeof a, used: number): PhotoFaces => ({
      photo: p.name,
      width: p.image.width,
      height: p.image.height,
      faces: p.faces.map((f) => ({ box: f.box, score: f.score })),
      used,
      crop: p.faces[used].aligned,
    });
    return {
      model,
      distance: d[best],
      same: d[best] < threshold.value,
      threshold,
      a: photo(a, ia),
      b: photo(b, ib),
      distances,
      bestOfSeveral: d.length > 1,
    };
  } finally {
    if (ownDetector) detector.dispose();
    if (!options.embedder) embedder?.dispose();
  }
}
