/**
 * Source strings accepted by convert and merge:
 *
 * - a folder: an identity-per-folder image tree;
 * - `kface:<root>?S=..&L=..&E=..&C=..`: a K-Face selection (see `kface.ts`), aligned with its
 *   box / landmark files or the detector into `<output stem>.faces/<k>/` (`raw=1`: unaligned);
 * - `aligned:<folder>?template=..&detector=..&policy=..&min_score=..`: an identity-per-folder
 *   tree whose photos go through the detector + aligner first (same folder scheme; e.g. the
 *   AT&T faces; `convert --align` / `merge --align` rewrite plain folders to this);
 * - `lfw-people:<lfw>/peopleDevTrain.txt`: the people an LFW people list names (see
 *   `people_list.ts`);
 * - (merge only) a `.tfrecord` file written by convert/merge, with its `<stem>.labels.tsv`
 *   beside it (or `labels.tsv` in the same folder); a sharded output is named by its base
 *   name (`data/x.tfrecord` finds `data/x-00000-of-00004.tfrecord` ...).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { ConvertError } from "./errors.ts";
import type { ImageSource } from "./image_source.ts";
import { scanImageTree } from "./image_tree.ts";
import {
  defaultAlignSpec,
  type KFaceAlignSpec,
  parseAlignKey,
  parseKFaceSpec,
  scanKFace,
} from "./kface.ts";
import { alignImageSource, type AlignSourceOptions } from "./align_source.ts";
import { PEOPLE_PREFIX, scanPeopleList } from "./people_list.ts";
import { labelsPathFor } from "./labels_tsv.ts";

/** Prefix of a folder source aligned by the detector before conversion. */
export const ALIGNED_PREFIX = "aligned:";

/** Options of {@linkcode scanSource}. */
export interface ScanSourceOptions {
  /** Skip bad files instead of failing (folders). */
  skipBad?: boolean;
  /**
   * The conversion's output: `kface:` and `aligned:` sources are aligned into
   * `<output stem>.faces/<sourceIndex>/` (required for them).
   */
  output?: string;
  /** Index of the source in a merge (default 0). */
  sourceIndex?: number;
  /** Alignment progress (done, total). */
  onAlignProgress?: AlignSourceOptions["onProgress"];
}

/** The folder a `kface:` / `aligned:` source's crops go to for `output`. */
export function alignDirFor(output: string, sourceIndex = 0): string {
  return `${output.replace(/\.tfrecords?$/i, "")}.faces/${sourceIndex}`;
}

/** True for a plain image-folder spec (not kface:, aligned:, lfw-people: or a TFRecord). */
export function isPlainFolderSpec(spec: string): boolean {
  return !spec.startsWith("kface:") && !spec.startsWith(ALIGNED_PREFIX) &&
    !spec.startsWith(PEOPLE_PREFIX) && !isTFRecordSpec(spec);
}

/**
 * `aligned:<folder>?k=v&...` with the keys given (undefined ones left out: the defaults), e.g.
 * `alignedSourceSpec("raw", { template: "arcface_96" })` = `aligned:raw?template=arcface_96`.
 */
export function alignedSourceSpec(
  folder: string,
  keys: Record<string, string | number | undefined>,
): string {
  const q = Object.entries(keys).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  return `${ALIGNED_PREFIX}${folder}${q.length ? "?" + q.join("&") : ""}`;
}

function parseAlignedSpec(spec: string): { dir: string; align: KFaceAlignSpec } {
  const body = spec.slice(ALIGNED_PREFIX.length);
  const q = body.indexOf("?");
  const dir = q < 0 ? body : body.slice(0, q);
  if (!dir) throw new ConvertError(`source '${spec}' has no folder (aligned:<folder>?template=..)`);
  const align = defaultAlignSpec();
  for (const pair of q < 0 ? [] : body.slice(q + 1).split("&").filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq < 0 || !parseAlignKey(spec, pair.slice(0, eq), pair.slice(eq + 1), align)) {
      throw new ConvertError(
        `source '${spec}': unknown key '${pair}' (aligned: takes template, detector, policy, ` +
          `min_score, size, workers, e.g. aligned:<folder>?template=arcface_96)`,
      );
    }
  }
  return { dir, align };
}

async function aligned(
  scan: ImageSource,
  align: KFaceAlignSpec,
  infoFiles: boolean,
  options: ScanSourceOptions,
): Promise<ImageSource> {
  if (align.raw) return scan;
  if (!options.output) {
    throw new ConvertError(
      `${scan.source}: this source is aligned into a folder beside the conversion's output; ` +
        `scan it through convertImages / mergeSources (or pass options.output).`,
    );
  }
  return await alignImageSource(scan, alignDirFor(options.output, options.sourceIndex), {
    infoFiles,
    template: align.template,
    boxFormat: align.boxFormat,
    detector: align.detector,
    sameCamera: align.sameCamera,
    policy: align.policy,
    minScore: align.minScore,
    size: align.size,
    workers: align.workers,
    onProgress: options.onAlignProgress,
  });
}

/**
 * Scans a folder, `kface:` or `aligned:` source into identities and files (the latter two
 * aligned first: their files are then the crops, and `alignment` says how they were made).
 */
export async function scanSource(
  spec: string,
  options: ScanSourceOptions = {},
): Promise<ImageSource> {
  if (spec.startsWith("kface:")) {
    const { root, selection, align } = parseKFaceSpec(spec);
    return await aligned(await scanKFace(root, selection, { source: spec }), align, true, options);
  }
  if (spec.startsWith(ALIGNED_PREFIX)) {
    const { dir, align } = parseAlignedSpec(spec);
    const scan = await scanImageTree(dir, options);
    return await aligned({ ...scan, source: spec }, align, false, options);
  }
  if (spec.startsWith(PEOPLE_PREFIX)) return scanPeopleList(spec);
  if (/\.tfrecords?$/i.test(spec)) {
    throw new ConvertError(
      `${spec} is a TFRecord, not an image folder: convert takes a folder of identity folders ` +
        `or a kface: source; use \`deno task merge\` to combine TFRecords.`,
      spec,
    );
  }
  return await scanImageTree(spec, options);
}

/** A TFRecord source: its files in order and its label map. */
export interface TFRecordSourceFiles {
  /** The TFRecord files (one, or the shards in order). */
  files: string[];
  /** Its labels.tsv. */
  labelsFile: string;
}

/** True when `spec` names a TFRecord (ends in .tfrecord / .tfrecords). */
export function isTFRecordSpec(spec: string): boolean {
  return /\.tfrecords?$/i.test(spec);
}

/** Finds the files and label map of a TFRecord source (see the module doc). */
export async function resolveTFRecordSource(spec: string): Promise<TFRecordSourceFiles> {
  let files: string[];
  if (existsSync(spec)) files = [spec];
  else {
    const dir = dirname(spec);
    const m = /^(.*?)(\.tfrecords?)$/i.exec(basename(spec))!;
    const re = new RegExp(
      `^${m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d{5})-of-(\\d{5})${m[2]}$`,
    );
    const found: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) if (re.test(e.name)) found.push(e.name);
    } catch { /* folder missing: reported below */ }
    if (found.length === 0) {
      throw new ConvertError(
        `TFRecord source ${spec} does not exist (no file, and no shards ` +
          `${m[1]}-NNNNN-of-NNNNN${m[2]} beside it)`,
        spec,
      );
    }
    files = found.sort().map((f) => join(dir, f));
  }
  const candidates = [labelsPathFor(spec), join(dirname(spec), "labels.tsv")];
  const labelsFile = candidates.find((c) => existsSync(c));
  if (!labelsFile) {
    throw new ConvertError(
      `TFRecord source ${spec} has no label map: looked for ${candidates.join(" and ")}. ` +
        `Merging needs the labels.tsv written by deno task convert next to the TFRecord.`,
      spec,
    );
  }
  return { files, labelsFile };
}
