/**
 * A tree of raw photos (`<raw>/<identity>/**\/*.jpg|jpeg|png|pgm`, any size, listed like
 * convert's image trees) -> the same tree of aligned `size x size` face crops, one per photo.
 *
 * - One face per photo: detect_and_pick.ts (the detector pool's faces over `minScore`, then
 *   pickFace's policy, "largest" by default, or "central"). Photos with several faces keep the policy's pick and
 *   are counted (`multiFace`, `multiFaceFiles`).
 * - A photo without a face is detected once more on a padded copy (faces filling more than
 *   ~45% of the side are missed otherwise; see pad_retry.ts); still none -> listed in `noFace`.
 *   Files that do not decode are listed in `badFiles`; non-image files in `ignored`. Nothing is
 *   dropped without a name.
 * - Output: PNG (lossless: the photo was already JPEG-compressed once, and a second lossy step
 *   at the resolution the network sees adds artefacts; ~3x the bytes of JPEG 95, which is
 *   `format: "jpg"`). `<identity>/<sub>/<name>.<ext>` keeps the photo's path, extension replaced.
 * - Each crop is written atomically; a rerun skips photos whose crop exists (counted in
 *   `skippedDone`) and refuses an output tree aligned with another size / template / format.
 * - `<out>/align_summary.json` (atomic) holds counts, lists, options, elapsed and img/s.
 *
 * @module
 */
import { extname, join, resolve, sep } from "node:path";
import sharp from "sharp";
import type { AlignTemplateName } from "../data/align/mod.ts";
import { ConvertError } from "../data/convert/errors.ts";
import { scanImageTree } from "../data/convert/image_tree.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { createDetectorPool, type DetectorPool } from "./detector_pool.ts";
import { DEFAULT_MIN_SCORE, type DetectorKind, type RawImage } from "./face_types.ts";
import { detectAndPick } from "./detect_and_pick.ts";

/** Crop file format of {@linkcode alignTree}. */
export type AlignedFormat = "png" | "jpg";

/** Options of {@linkcode alignTree}. */
export interface AlignTreeOptions {
  /** Side of the crops (default 112). */
  size?: number;
  /** Alignment geometry (default "arcface"; "arcface_96" = the shared LFW crops'). */
  template?: AlignTemplateName;
  /** Which face of a photo with several (default "largest"). */
  policy?: "largest" | "central";
  /** Score floor of a face (default 0.5). */
  minScore?: number;
  /** "ssd" (default) or "tiny". */
  detector?: DetectorKind;
  /** Detector Workers (default: one per core, at most 8). */
  workers?: number;
  /** Backend of the workers (default: setupBackend's auto). */
  backend?: string;
  /** Crop format (default "png"; "jpg" = JPEG quality 95). */
  format?: AlignedFormat;
  /** Retry photos without a face on a padded copy (default true). */
  padRetry?: boolean;
  /** Progress after each photo. */
  onProgress?: (p: AlignProgress) => void;
}

/** One progress report of {@linkcode alignTree}. */
export interface AlignProgress {
  /** Photos handled (including skipped ones already done). */
  done: number;
  /** Photos in the tree. */
  total: number;
  /** Crops written so far in this run. */
  aligned: number;
  /** Photos without a face so far. */
  noFace: number;
  /** Seconds since the start. */
  elapsedSec: number;
  /** Photos detected per second in this run (skipped ones not counted). */
  imagesPerSec: number;
  /** Seconds left at that rate. */
  etaSec: number;
}

/** A file that could not be used, and why. */
export interface AlignBadFile {
  /** The file. */
  file: string;
  /** Why. */
  reason: string;
}

/** What {@linkcode alignTree} did; also written to `<out>/align_summary.json`. */
export interface AlignTreeSummary {
  /** The raw tree. */
  input: string;
  /** The aligned tree. */
  output: string;
  /** The options that shape the crops and the choice of face. */
  options: {
    size: number;
    template: AlignTemplateName;
    format: AlignedFormat;
    policy: "largest" | "central";
    minScore: number;
    detector: DetectorKind;
    padRetry: boolean;
  };
  /** Identity folders. */
  identities: number;
  /** Identity folders without any image file. */
  emptyIdentities: string[];
  /** Image files in the tree. */
  photos: number;
  /** Crops written in this run. */
  aligned: number;
  /** Photos whose crop already existed (a rerun). */
  skippedDone: number;
  /** Of the aligned, how many were found only on the padded retry. */
  padded: number;
  /** Photos with several faces over the floor (the policy's pick was kept). */
  multiFace: number;
  /** Those photos (first 100). */
  multiFaceFiles: string[];
  /** Photos where no face was found (all of them). */
  noFace: string[];
  /** Files that did not decode or could not be written. */
  badFiles: AlignBadFile[];
  /** Non-image files and loose files directly under the raw tree (not read). */
  ignored: AlignBadFile[];
  /** Seconds of the run. */
  elapsedSec: number;
  /** Photos detected per second (skipped ones not counted). */
  imagesPerSec: number;
}

/** A tree that cannot be aligned (missing, not a folder, output inside the input, ...). */
export class AlignTreeError extends Error {
  override name = "AlignTreeError";
}

/** The summary file's name under the output tree. */
export const ALIGN_SUMMARY_FILE = "align_summary.json";

/** Encodes an RGB crop as PNG or JPEG 95. */
export async function encodeCrop(image: RawImage, format: AlignedFormat): Promise<Uint8Array> {
  const s = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels as 3 },
  });
  const buf = await (format === "png" ? s.png() : s.jpeg({ quality: 95 })).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function checkOutput(out: string, opts: AlignTreeSummary["options"]): Promise<void> {
  let old: AlignTreeSummary;
  try {
    old = JSON.parse(await Deno.readTextFile(join(out, ALIGN_SUMMARY_FILE)));
  } catch {
    return; // a fresh tree, or one a killed run left without a summary
  }
  const o = old.options ?? {};
  for (const k of ["size", "template", "format"] as const) {
    if (o[k] !== undefined && o[k] !== opts[k]) {
      throw new AlignTreeError(
        `${out} was aligned with ${k} ${o[k]}, this run asks for ${opts[k]}: one tree holds one ` +
          `geometry. Use another output folder, or delete ${out} to realign.`,
      );
    }
  }
}

/** Aligns every photo of `rawRoot` into `outRoot` (see the module doc). */
export async function alignTree(
  rawRoot: string,
  outRoot: string,
  options: AlignTreeOptions = {},
): Promise<AlignTreeSummary> {
  const t0 = performance.now();
  const opts: AlignTreeSummary["options"] = {
    size: options.size ?? 112,
    template: options.template ?? "arcface",
    format: options.format ?? "png",
    policy: options.policy ?? "largest",
    minScore: options.minScore ?? DEFAULT_MIN_SCORE,
    detector: options.detector ?? "ssd",
    padRetry: options.padRetry ?? true,
  };
  const raw = resolve(rawRoot), out = resolve(outRoot);
  if (out === raw || out.startsWith(raw + sep)) {
    throw new AlignTreeError(
      `output ${out} is inside the raw tree ${raw}: it would be read as an identity on the ` +
        `next run. Put the aligned tree beside the raw one.`,
    );
  }
  let source;
  try {
    source = await scanImageTree(raw, { skipBad: true });
  } catch (e) {
    if (e instanceof ConvertError) throw new AlignTreeError(e.message);
    throw e;
  }
  await checkOutput(out, opts);
  const ext = `.${opts.format}`;
  const summary: AlignTreeSummary = {
    input: raw,
    output: out,
    options: opts,
    identities: source.identities.length,
    emptyIdentities: source.identities.filter((i) => i.files.length === 0).map((i) => i.dir),
    photos: 0,
    aligned: 0,
    skippedDone: 0,
    padded: 0,
    multiFace: 0,
    multiFaceFiles: [],
    noFace: [],
    badFiles: [],
    ignored: source.skipped.map((s) => ({ file: s.file, reason: s.reason })),
    elapsedSec: 0,
    imagesPerSec: 0,
  };
  // Photos to detect, with their crop paths; names map 1:1 unless two differ only by extension.
  const todo: Array<{ path: string; dest: string }> = [];
  const claimed = new Map<string, string>();
  for (const id of source.identities) {
    for (const f of id.files) {
      summary.photos++;
      const dest = join(out, f.name.slice(0, f.name.length - extname(f.name).length) + ext);
      const other = claimed.get(dest);
      if (other) {
        summary.badFiles.push({
          file: f.path,
          reason: `its crop ${dest} is already the crop of ${other} (same name, other ` +
            `extension); rename one of them`,
        });
        continue;
      }
      claimed.set(dest, f.path);
      if (await exists(dest)) summary.skippedDone++;
      else todo.push({ path: f.path, dest });
    }
  }
  const total = summary.photos;
  let detected = 0;
  const report = () => {
    const elapsedSec = (performance.now() - t0) / 1000;
    const imagesPerSec = elapsedSec > 0 ? detected / elapsedSec : 0;
    const left = todo.length - detected;
    return {
      done: total - left,
      total,
      aligned: summary.aligned,
      noFace: summary.noFace.length,
      elapsedSec,
      imagesPerSec,
      etaSec: imagesPerSec > 0 ? left / imagesPerSec : 0,
    };
  };
  // No more workers than photos left (a rerun with one photo to retry starts one).
  const workers = Math.max(
    1,
    Math.min(options.workers ?? Math.min(navigator.hardwareConcurrency || 2, 8), todo.length),
  );
  let pool: DetectorPool | undefined;
  try {
    if (todo.length > 0) {
      pool = await createDetectorPool({
        workers,
        detector: opts.detector,
        backend: options.backend,
      });
    }
    // Batches bound the crops held in memory and let finished crops reach the disk early.
    const batch = 16 * workers;
    for (let start = 0; start < todo.length; start += batch) {
      const part = todo.slice(start, start + batch);
      const results = await detectAndPick(pool!, part.map((p) => p.path), opts);
      for (let i = 0; i < part.length; i++) {
        const r = results[i], { path, dest } = part[i];
        detected++;
        if (r.error) summary.badFiles.push({ file: path, reason: r.error });
        else {
          const face = r.face;
          if (!face) summary.noFace.push(path);
          else {
            if (r.facesOverFloor > 1) {
              summary.multiFace++;
              if (summary.multiFaceFiles.length < 100) summary.multiFaceFiles.push(path);
            }
            try {
              await writeFileAtomic(dest, await encodeCrop(face.aligned, opts.format), {
                mkdir: true,
              });
              summary.aligned++;
              if (r.padded) summary.padded++;
            } catch (e) {
              summary.badFiles.push({
                file: path,
                reason: `cannot write ${dest}: ${(e as Error).message}`,
              });
            }
          }
        }
        options.onProgress?.(report());
      }
    }
  } finally {
    await pool?.close();
  }
  const p = report();
  summary.elapsedSec = p.elapsedSec;
  summary.imagesPerSec = p.imagesPerSec;
  await writeFileAtomic(join(out, ALIGN_SUMMARY_FILE), JSON.stringify(summary, null, 2) + "\n", {
    mkdir: true,
  });
  return summary;
}
