/**
 * Aligns every image of a scanned source (a K-Face selection, a folder of roughly centred
 * portraits such as the AT&T faces) to the ArcFace template before conversion, so raw frames
 * never reach a training set of tight 112x112 crops.
 *
 * Per image, in this order:
 * 1. with `infoFiles` (K-Face): the `<stem>.txt` beside it (kface_info.ts). 5 points (or 68)
 *    -> aligned directly ("file landmarks"); a box -> the 68-point landmark net inside the box
 *    ("file box"); a missing file or one that cannot be used -> the detector, counted apart;
 * 2. the images left (all of them without `infoFiles`) go, in batches, to the same detection
 *    engine as `deno task align` (lib/face/detect_and_pick.ts: a Worker pool, one worker per
 *    core, SSD by default, a padded retry when nothing is found, one face per image by the
 *    policy, "largest" by default, over the score floor);
 * 3. no face -> the image is left out and LISTED (`skipped`, reason "no face found ..."),
 *    never dropped silently.
 * Crops are written as lossless PNG to `<outDir>/<name>.png` atomically; `<outDir>/faces.json`
 * records how each one was made (method, input -> crop matrix), so a rerun with the same
 * options reuses them. Information files are used on the calling thread's TF.js backend (set
 * up here when none is); the detector runs in the pool's workers.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import type { AlignTemplateName } from "../align/mod.ts";
import { setupBackend } from "../../backend/mod.ts";
import { writeFileAtomic } from "../../io/atomic_write.ts";
import { detectAndPick, type PickedDetection } from "../../face/detect_and_pick.ts";
import { createDetectorPool, type DetectorPool } from "../../face/detector_pool.ts";
import type { DetectorKind } from "../../face/face_types.ts";
import { type AlignEntry as Entry, alignFromInfo, writePng } from "./align_from_info.ts";
import type { SkippedFile } from "./errors.ts";
import type { IdentityImages, ImageSource } from "./image_source.ts";
import type { KFaceBoxFormat } from "./kface_info.ts";

/** Options of {@linkcode alignImageSource}. */
export interface AlignSourceOptions {
  /** Read K-Face information files beside the images (default false). */
  infoFiles?: boolean;
  /** How unlabelled 4-number boxes are read (default auto: see kface_info.ts). */
  boxFormat?: KFaceBoxFormat;
  /**
   * With infoFiles: an image without an information file borrows the one of the `L1` frame of
   * the same ID/S/E/C (path `/L<n>/` -> `/L1/`): its box (landmark net inside it) or its points.
   * Default false: an ASSUMPTION (fixed cameras, a subject who held still) not checked on real
   * K-Face data.
   */
  sameCamera?: boolean;
  /** Template (default "arcface"; "arcface_96" = the shared LFW crops' geometry). */
  template?: AlignTemplateName;
  /** Crop side (default 112). */
  size?: number;
  /** Detector for images without usable files (default "ssd"). */
  detector?: DetectorKind;
  /** Detector score floor (default 0.5). */
  minScore?: number;
  /** Which detected face of an image with several (default "largest"). */
  policy?: "largest" | "central";
  /** Detector Workers (default: one per core, at most 8). */
  workers?: number;
  /** Backend to set up when none is (default: setupBackend's auto / ARCFACE_BACKEND). */
  backend?: string;
  /** Called after each image with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** How many crops came from where (also in the conversion summary). */
export interface AlignCounts {
  /** Images of the source. */
  images: number;
  /** Aligned from 5 (or 68) points of an information file. */
  fileLandmarks: number;
  /** Aligned from an information file's box + the landmark net. */
  fileBox: number;
  /** Aligned from the L1 frame's information file (sameCamera only). */
  sameCamera: number;
  /** Aligned from the detector (no usable information file). */
  detector: number;
  /** Of `detector`: found only on the padded retry. */
  detectorPadded: number;
  /** Of `detector`: images that had no information file (only with infoFiles). */
  noInfoFile: number;
  /** Of `detector`: images whose information file could not be used (only with infoFiles). */
  badInfoFile: number;
  /** Left out: no face found (listed in `skipped`). */
  noFace: number;
  /** Left out: the image did not decode (listed in `skipped`). */
  badImage: number;
  /** Crops reused from an earlier run (already counted above). */
  reused: number;
}

/** The aligned source and what the alignment did. */
export interface AlignedSource extends ImageSource {
  /** Where each crop came from. */
  alignment: AlignReport;
}

/** {@linkcode AlignCounts} with the options and the folder (the summary's `alignment` entry). */
export interface AlignReport {
  /** The aligned crops' folder. */
  dir: string;
  /** Template, size, detector, score floor, info files. */
  options: Record<string, unknown>;
  /** The counts. */
  counts: AlignCounts;
  /** Information files that could not be used, with why (first 50). */
  badInfoFiles: SkippedFile[];
}

async function ensureBackend(name?: string): Promise<void> {
  // Converting may run in a process that never set up TF.js (deno task convert / merge).
  if (!(tf.engine() as unknown as { backendInstance?: unknown }).backendInstance) {
    await setupBackend(name, { trainingKernels: false });
  }
}

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

/**
 * Aligns every file of `source` into `outDir` (see the module doc) and returns the same
 * identities with the crops' paths (names end in `.png`), the images without a face in
 * `skipped`, and the counts.
 */
export async function alignImageSource(
  source: ImageSource,
  outDir: string,
  options: AlignSourceOptions = {},
): Promise<AlignedSource> {
  const opts = {
    template: options.template ?? "arcface",
    size: options.size ?? 112,
    detector: options.detector ?? "ssd",
    minScore: options.minScore ?? 0.5,
    infoFiles: options.infoFiles ?? false,
    boxFormat: options.boxFormat ?? "auto",
    sameCamera: options.sameCamera ?? false,
    // Only when not the default, so faces.json of earlier runs stays reusable.
    ...(options.policy && options.policy !== "largest" ? { policy: options.policy } : {}),
  };
  const manifestPath = join(outDir, "faces.json");
  let entries: Record<string, Entry> = {};
  try {
    const old = JSON.parse(await Deno.readTextFile(manifestPath));
    if (JSON.stringify(old.options) === JSON.stringify(opts)) entries = old.entries ?? {};
  } catch { /* first run */ }
  const counts: AlignCounts = {
    images: 0,
    fileLandmarks: 0,
    fileBox: 0,
    sameCamera: 0,
    detector: 0,
    detectorPadded: 0,
    noInfoFile: 0,
    badInfoFile: 0,
    noFace: 0,
    badImage: 0,
    reused: 0,
  };
  const badInfoFiles: SkippedFile[] = [];
  const skipped: SkippedFile[] = [...source.skipped];
  const total = source.identities.reduce((a, id) => a + id.files.length, 0);
  let done = 0;
  const save = () =>
    writeFileAtomic(manifestPath, JSON.stringify({ options: opts, entries }, null, 1) + "\n");
  const outOf = (name: string) => join(outDir, name.replace(/\.[^./]*$/, "") + ".png");
  await Deno.mkdir(outDir, { recursive: true });
  // 1. Reused crops, then the information files (in-process); the rest waits for the detector.
  const pending: Array<{ name: string; path: string; out: string; info?: "none" | "bad" }> = [];
  for (const id of source.identities) {
    for (const f of id.files) {
      const out = outOf(f.name);
      const e = entries[f.name];
      if (e && ("method" in e ? await exists(out) : true)) {
        counts.reused++;
        options.onProgress?.(++done, total);
        continue;
      }
      delete entries[f.name];
      if (!opts.infoFiles) {
        pending.push({ name: f.name, path: f.path, out });
        continue;
      }
      await ensureBackend(options.backend);
      const r = await alignFromInfo(f.path, { ...opts, out, badInfoFiles });
      if ("entry" in r) {
        entries[f.name] = r.entry;
        options.onProgress?.(++done, total);
        if (done % 200 === 0) await save();
      } else pending.push({ name: f.name, path: f.path, out, info: r.info });
    }
  }
  // 2. The detector fallback: one engine (detect_and_pick.ts), in parallel over a Worker pool.
  let pool: DetectorPool | undefined;
  try {
    const workers = Math.max(
      1,
      Math.min(options.workers ?? Math.min(navigator.hardwareConcurrency || 2, 8), pending.length),
    );
    if (pending.length > 0) {
      pool = await createDetectorPool({
        workers,
        detector: opts.detector,
        backend: options.backend,
      });
    }
    const batch = 16 * workers;
    for (let start = 0; start < pending.length; start += batch) {
      const part = pending.slice(start, start + batch);
      const results = await detectAndPick(pool!, part.map((p) => p.path), {
        template: opts.template,
        size: opts.size,
        minScore: opts.minScore,
        policy: options.policy,
      });
      for (let i = 0; i < part.length; i++) {
        const { name, out, info } = part[i], r = results[i];
        entries[name] = await detectorEntry(r, out, info, opts.minScore);
        options.onProgress?.(++done, total);
      }
      await save();
    }
  } finally {
    await pool?.close();
  }
  // 3. Counts, crops and skipped in source order.
  const identities: IdentityImages[] = [];
  for (const id of source.identities) {
    const files = [];
    for (const f of id.files) {
      counts.images++;
      const e = entries[f.name];
      if ("method" in e) {
        counts[e.method]++;
        if (e.padded) counts.detectorPadded++;
        if (e.info === "none") counts.noInfoFile++;
        if (e.info === "bad") counts.badInfoFile++;
        files.push({ path: outOf(f.name), name: f.name.replace(/\.[^./]*$/, "") + ".png" });
      } else if ("noFace" in e) {
        counts.noFace++;
        skipped.push({ file: f.path, reason: e.noFace });
      } else {
        counts.badImage++;
        skipped.push({ file: f.path, reason: e.badImage });
      }
    }
    identities.push({ ...id, files });
  }
  await save();
  return {
    source: source.source,
    identities,
    skipped,
    alignment: { dir: outDir, options: opts, counts, badInfoFiles: badInfoFiles.slice(0, 50) },
  };
}

async function detectorEntry(
  r: PickedDetection,
  out: string,
  info: "none" | "bad" | undefined,
  minScore: number,
): Promise<Entry> {
  if (r.error) return { badImage: `not decodable, not aligned (${r.error})` };
  if (!r.face) {
    return {
      noFace: `no face found (detector, min score ${minScore}, padded retry too)` +
        (info === "none" ? "; no information file beside it" : "") +
        (info === "bad" ? "; its information file could not be used" : ""),
    };
  }
  await writePng(out, r.face.aligned);
  return { method: "detector", matrix: r.face.matrix, padded: r.padded || undefined, info };
}
