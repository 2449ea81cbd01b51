/**
 * The measured test of the whole photo chain (issue 11 item 5): LFW `pairsDevTest` crops are
 * turned into synthetic raw photos (raw_photo.ts), written as PNG files, run through the
 * detector pool (detect + 68 landmarks + 5 points + align), and scored three ways:
 * (a) landmark error against the known transform (landmark_error.ts), with no-face / wrong-face
 *     counts and the align speed of the pool (img/s, PNG decode included);
 * (b) the pairs' verification accuracy of a model (face-api by default) on the re-aligned crops
 *     next to the same pairs on the original crops, through the project's evaluator
 *     (`embedImages` + `evaluateVerification`, as `deno task eval` does);
 * (c) faces found on given photos (the face-api demo photos).
 * A photo where no face is found enters (b) as a mid-grey crop (counted in `noFace`): the
 * accuracy then shows what the misses cost, nothing is dropped.
 *
 * @module
 */
import { basename, join } from "node:path";
import {
  ARCFACE_96_TEMPLATE_112,
  ARCFACE_TEMPLATE_112,
  type Point,
  type RawImage,
} from "../../data/align/mod.ts";
import type { EncodedImage, VerificationSet } from "../../data/verification/mod.ts";
import { embedImages } from "../../eval/extract/embed_images.ts";
import { evaluateVerification } from "../../eval/metrics/mod.ts";
import { resolveSet } from "../../eval/resolve_set.ts";
import { deriveSeed, mulberry32 } from "../../random/seeded_rng.ts";
import { createDetectorPool, pickFace } from "../../face/mod.ts";
import {
  landmarkErrors,
  type LandmarkErrorSummary,
  summarizeLandmarkErrors,
} from "./landmark_error.ts";
import { subsetPairs } from "./pairs_subset.ts";
import { makeRawPhoto, type PastedFace } from "./raw_photo.ts";

/** Options of {@linkcode runChainBench}. */
export interface ChainBenchOptions {
  /** Verification set (default "lfw-view1": pairsDevTest, 1,000 pairs). */
  set?: string;
  /** Use only the first n/2 same + n/2 different pairs (default: all). */
  pairs?: number;
  /** Detector Workers (default: the number of cores). */
  workers?: number;
  /** Detector (default "ssd"). */
  detector?: "ssd" | "tiny";
  /** Detector score floor (default 0.5). */
  minScore?: number;
  /** Search a padded copy too (lib/face pad_retry.ts): false (default), true (when no face),
   * or "always" (merged). */
  padRetry?: boolean | "always";
  /** Distractor faces per photo (default 2, smaller than the target). */
  distractors?: number;
  /** Seed of the photos (default 11). */
  seed?: number;
  /** Embedding model for (b) (default "face-api"); null skips (b). */
  model?: string | null;
  /** Photos for (c) (default none). */
  samples?: readonly string[];
  /** Data root of named sets. */
  dataRoot?: string;
  /** Where the synthetic photos are written (default: a temp folder, removed afterwards). */
  photoDir?: string;
  /**
   * The source crops' true landmarks (default ARCFACE_96_TEMPLATE_112: the shared LFW crops sit
   * 8 px left of the ArcFace template; see lib/data/align/arcface_template.ts).
   */
  cropLandmarks?: readonly Point[];
  /**
   * Template lib/face aligns to: "source" (default: "arcface_96", the shared LFW crops' own
   * geometry, so in (b) the model sees the same framing as on the originals and the comparison
   * measures the detector alone) or "arcface" (ARCFACE_TEMPLATE_112, MS1M's geometry).
   */
  realignTo?: "source" | "arcface";
  /** Backend of the Workers (default auto). */
  backend?: string;
  /** Progress per phase. */
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/** Accuracy of one embedding run over the pairs. */
export interface PairsAccuracy {
  accuracy: number;
  std: number;
  meanThreshold: number;
}

/** What {@linkcode runChainBench} measures (plain JSON). */
export interface ChainBenchReport {
  set: string;
  pairs: number;
  photos: number;
  seed: number;
  detector: string;
  workers: number;
  /** (a) landmark error of the chosen face against the crops' own geometry, 112-crop pixels. */
  landmarks: LandmarkErrorSummary;
  /**
   * The same faces scored as if the crops sat on ARCFACE_TEMPLATE_112 (what a metric ignorant of
   * the crops' geometry reports: includes their 8 px offset).
   */
  landmarksVsArcfaceTemplate: LandmarkErrorSummary;
  /** Photos with two or more faces found (distractors detected too). */
  multiFace: number;
  /** Align speed of the pool: photos / seconds of `detectFiles` (decode + detect + align). */
  align: { seconds: number; imagesPerSec: number };
  /** (b) the model's accuracy on the original and on the re-aligned crops. */
  verification?: {
    model: string;
    realignTo: "source" | "arcface";
    original: PairsAccuracy;
    realigned: PairsAccuracy;
  };
  /** (c) faces found per sample photo (score >= minScore). */
  samples: Array<{ file: string; faces: number; scores: number[]; error?: string }>;
}

/** One synthetic photo's truth, kept while its pixels live only on disk. */
interface PhotoTruth {
  path: string;
  target: PastedFace;
}

async function decodeCrop(bytes: Uint8Array): Promise<RawImage> {
  const { default: sharp } = await import("sharp");
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({
    resolveWithObject: true,
  });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

async function encodePng(image: RawImage): Promise<Uint8Array> {
  const { default: sharp } = await import("sharp");
  const { width, height, channels } = image;
  const raw = { width, height, channels: channels as 1 | 3 };
  return new Uint8Array(await sharp(image.data, { raw }).png().toBuffer());
}

/** The person of an LFW key `images/<name>/<name>_NNNN.jpg`. */
function personOf(key: string): string {
  return basename(key).replace(/_\d+\.\w+$/, "");
}

/** Writes one synthetic photo per image of `set`; distractors are crops of other people. */
async function writePhotos(
  set: VerificationSet,
  dir: string,
  options: ChainBenchOptions,
): Promise<PhotoTruth[]> {
  const seed = options.seed ?? 11, nDistract = options.distractors ?? 2;
  const crops = await Promise.all(set.images.map((im) => decodeCrop(im.bytes)));
  const truths: PhotoTruth[] = [];
  for (let i = 0; i < crops.length; i++) {
    const rand = mulberry32(deriveSeed([seed, i, 1]));
    const me = personOf(set.images[i].key), others: RawImage[] = [];
    for (let t = 0; t < 50 && others.length < nDistract && crops.length > 1; t++) {
      const j = Math.floor(rand() * crops.length);
      if (personOf(set.images[j].key) !== me) others.push(crops[j]);
    }
    const photo = makeRawPhoto(crops[i], {
      seed: deriveSeed([seed, i]),
      distractors: others,
      cropLandmarks: options.cropLandmarks ?? ARCFACE_96_TEMPLATE_112,
    });
    const path = join(dir, `photo_${String(i).padStart(5, "0")}.png`);
    await Deno.writeFile(path, await encodePng(photo.image));
    truths.push({ path, target: photo.target });
    options.onProgress?.({ phase: "photos", done: i + 1, total: crops.length });
  }
  return truths;
}

async function pairsAccuracy(
  images: EncodedImage[],
  set: VerificationSet,
  model: string,
  options: ChainBenchOptions,
  phase: string,
): Promise<PairsAccuracy> {
  const emb = await embedImages(images, model, {
    workers: options.workers,
    backend: options.backend,
    onProgress: (p) => options.onProgress?.({ phase, done: p.done, total: p.total }),
  });
  const m = evaluateVerification(emb.embeddings, {
    dim: emb.dim,
    pairs: set.pairs,
    issame: set.issame,
    folds: set.folds,
    rawEmbeddings: emb.plain,
  });
  return { accuracy: m.accuracy, std: m.std, meanThreshold: m.meanThreshold };
}

/**
 * Runs (a)-(c): synthetic photos of the set's images through lib/face's detector pool, scored
 * against their known transforms; the model on original vs re-aligned crops; the sample photos.
 */
export async function runChainBench(options: ChainBenchOptions = {}): Promise<ChainBenchReport> {
  const full = await resolveSet(options.set ?? "lfw-view1", { dataRoot: options.dataRoot });
  const set = options.pairs ? subsetPairs(full, options.pairs) : full;
  const ownDir = options.photoDir === undefined;
  const dir = options.photoDir ?? await Deno.makeTempDir({ prefix: "face_chain_" });
  await Deno.mkdir(dir, { recursive: true });
  const minScore = options.minScore ?? 0.5, detector = options.detector ?? "ssd";
  const pool = await createDetectorPool({
    workers: options.workers,
    detector,
    backend: options.backend,
  });
  try {
    const truths = await writePhotos(set, dir, options);
    const realignTo = options.realignTo ?? "source";
    const template = realignTo === "source" ? "arcface_96" : "arcface";
    const t0 = performance.now();
    const found = await pool.detectFiles(truths.map((t) => t.path), {
      detector,
      minScore,
      template,
      padRetry: options.padRetry ?? false,
      onProgress: (done, total) => options.onProgress?.({ phase: "detect", done, total }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const grey: RawImage = {
      data: new Uint8Array(112 * 112 * 3).fill(128),
      width: 112,
      height: 112,
      channels: 3,
    };
    const cropLandmarks = options.cropLandmarks ?? ARCFACE_96_TEMPLATE_112;
    const outcomes = [], naive = [];
    const realigned: EncodedImage[] = [];
    let multiFace = 0;
    for (let i = 0; i < truths.length; i++) {
      const r = found[i];
      if (r.faces.length >= 2) multiFace++;
      const chosen = pickFace(r.faces, r, { policy: "largest", minScore });
      const K = truths[i].target.cropToCanvas;
      outcomes.push({
        errors: chosen ? landmarkErrors(chosen.matrix, K, { cropLandmarks, template }) : null,
      });
      naive.push({
        errors: chosen
          ? landmarkErrors(chosen.matrix, K, { cropLandmarks: ARCFACE_TEMPLATE_112, template })
          : null,
      });
      realigned.push({ key: set.images[i].key, bytes: await encodePng(chosen?.aligned ?? grey) });
    }
    const report: ChainBenchReport = {
      set: set.name,
      pairs: set.issame.length,
      photos: truths.length,
      seed: options.seed ?? 11,
      detector,
      workers: options.workers ?? (navigator.hardwareConcurrency || 2),
      landmarks: summarizeLandmarkErrors(outcomes),
      landmarksVsArcfaceTemplate: summarizeLandmarkErrors(naive),
      multiFace,
      align: { seconds, imagesPerSec: truths.length / seconds },
      samples: [],
    };
    const model = options.model === undefined ? "face-api" : options.model;
    if (model) {
      const original = await pairsAccuracy(set.images, set, model, options, "embed original");
      const again = await pairsAccuracy(realigned, set, model, options, "embed re-aligned");
      report.verification = { model, realignTo, original, realigned: again };
    }
    if (options.samples?.length) {
      const res = await pool.detectFiles([...options.samples], { detector, minScore });
      report.samples = res.map((r) => ({
        file: basename(r.path),
        faces: r.faces.filter((f) => f.score >= minScore).length,
        scores: r.faces.map((f) => Math.round(f.score * 1000) / 1000),
        ...(r.error ? { error: r.error } : {}),
      }));
    }
    return report;
  } finally {
    await pool.close();
    if (ownDir) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
