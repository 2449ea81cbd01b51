/**
 * What `deno task align` (and convert/merge `--align`) print: the progress line and the
 * summary (counts, the photos without a face and the bad files by name, first 20 of each).
 *
 * @module
 */
import {
  ALIGN_SUMMARY_FILE,
  type AlignProgress,
  type AlignTreeOptions,
  type AlignTreeSummary,
} from "../lib/face/align_tree.ts";
import { alignedSourceSpec, isPlainFolderSpec } from "../lib/data/convert/source_spec.ts";
import type { AlignTemplateName } from "../lib/data/align/mod.ts";
import { type CliValues, intOption, numberOption, UsageError } from "./cli_main.ts";

/** The options align, convert --align and merge --align share (parseArgs form). */
export const ALIGN_CLI_OPTIONS = {
  size: { type: "string" },
  template: { type: "string" },
  policy: { type: "string" },
  "min-score": { type: "string" },
  workers: { type: "string" },
  detector: { type: "string" },
  format: { type: "string" },
} as const;

/** Their usage lines. */
export const ALIGN_USAGE_LINES = `  --size N         side of the aligned crops (default 112)
  --template T     arcface (default, MS1M's geometry) or arcface_96 (the shared LFW crops')
  --policy P       the face of a photo with several: largest (default) or central
  --min-score X    detector score floor 0..1 (default 0.5)
  --workers N      detector Workers (default: one per core, at most 8)
  --detector D     ssd (default, SSD MobileNetV1) or tiny
  --format F       png (default, lossless) or jpg (JPEG quality 95, ~1/3 the bytes)`;

const oneOf = <T extends string>(
  name: string,
  v: unknown,
  allowed: readonly T[],
): T | undefined => {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) {
    throw new UsageError(`--${name} must be ${allowed.join(" or ")}, got '${v}'`);
  }
  return v as T;
};

/** Parses the shared align options; throws UsageError for a bad value. */
export function alignOptionsFrom(
  values: Partial<CliValues<typeof ALIGN_CLI_OPTIONS>>,
): AlignTreeOptions {
  return {
    size: intOption("size", values.size, { min: 16, max: 1024 }),
    template: oneOf<AlignTemplateName>("template", values.template, ["arcface", "arcface_96"]),
    policy: oneOf("policy", values.policy, ["largest", "central"] as const),
    minScore: numberOption("min-score", values["min-score"], { min: 0, max: 1 }),
    workers: intOption("workers", values.workers, { min: 1, max: 64 }),
    detector: oneOf("detector", values.detector, ["ssd", "tiny"] as const),
    format: oneOf("format", values.format, ["png", "jpg"] as const),
  };
}

const fmtTime = (s: number) => {
  const t = Math.round(s), m = Math.floor(t / 60);
  return `${m}:${String(t % 60).padStart(2, "0")}`;
};

/** One progress line, e.g. `align [####......] 40% 24/60 aligned 22 no face 2 3.1 img/s ETA 0:12`. */
export function formatAlignProgress(p: AlignProgress, width = 20): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const fill = Math.round(frac * width);
  return `align [${"#".repeat(fill)}${".".repeat(width - fill)}] ${(frac * 100).toFixed(0)}% ` +
    `${p.done}/${p.total} aligned ${p.aligned} no face ${p.noFace} ` +
    `${p.imagesPerSec.toFixed(1)} img/s ETA ${fmtTime(p.etaSec)}`;
}

/** Prints `s` on stdout: counts as JSON, then the no-face and bad files by name. */
export function printAlignSummary(s: AlignTreeSummary): void {
  const { noFace, badFiles, ignored, multiFaceFiles: _m, emptyIdentities, ...rest } = s;
  console.log(JSON.stringify(
    {
      ...rest,
      elapsedSec: Number(s.elapsedSec.toFixed(2)),
      imagesPerSec: Number(s.imagesPerSec.toFixed(2)),
      noFace: noFace.length,
      badFiles: badFiles.length,
      ignored: ignored.length,
      emptyIdentities: emptyIdentities.length,
    },
    null,
    2,
  ));
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    console.log(
      `${title} ${items.length} (first ${Math.min(20, items.length)}; all in ` +
        `${s.output}/${ALIGN_SUMMARY_FILE}):`,
    );
    for (const x of items.slice(0, 20)) console.log(`  ${x}`);
  };
  list("no face found:", noFace);
  list("bad files:", badFiles.map((b) => `${b.file}: ${b.reason}`));
  list("ignored:", ignored.map((b) => `${b.file}: ${b.reason}`));
  list("identities without images:", emptyIdentities);
  if (s.multiFace) {
    console.log(`${s.multiFace} photo(s) had several faces: kept the ${s.options.policy} one`);
  }
}

/**
 * convert/merge `--align`: checks the align options (given without --align: a usage error) and
 * rewrites each plain image-folder source to `aligned:<folder>?template=..&...` (the one
 * alignment path of convert/merge: crops in `<stem>.faces/<k>/`, counts in the summary's
 * `alignment`). `kface:` selections align themselves; `lfw-people:` lists and TFRecords pass
 * through unchanged.
 */
export function alignedSpecsIfAsked(
  cmd: string,
  values: Partial<CliValues<typeof ALIGN_CLI_OPTIONS>> & { align?: boolean },
  sources: string[],
): string[] {
  const options = alignOptionsFrom(values);
  if (!values.align) {
    const given = Object.keys(ALIGN_CLI_OPTIONS).find((k) => values[k as keyof typeof values]);
    if (given) throw new UsageError(`--${given} is an align option: add --align`);
    return sources;
  }
  if (cmd === "convert" && !isPlainFolderSpec(sources[0])) {
    throw new UsageError(
      `--align is for image folders; '${sources[0]}' is not one (kface: selections are ` +
        `aligned by the K-Face reader, aligned: sources already are): drop --align`,
    );
  }
  if (options.format === "jpg") {
    throw new UsageError(
      `--format jpg: convert/merge --align write PNG crops into <stem>.faces/; for JPEG crops ` +
        `run deno task align --format jpg and convert its output tree`,
    );
  }
  return sources.map((s) => {
    if (!isPlainFolderSpec(s)) return s;
    if (s.includes("?")) {
      throw new UsageError(`--align: the folder '${s}' has a '?' in its path; rename it`);
    }
    return alignedSourceSpec(s, {
      template: options.template,
      detector: options.detector,
      policy: options.policy,
      min_score: options.minScore,
      size: options.size,
      workers: options.workers,
    });
  });
}
