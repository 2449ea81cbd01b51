/**
 * Image tree (or K-Face selection) -> arcface TFRecord: scan, label identities densely in
 * byte order, shuffle the images with a seed, read them concurrently, write atomically, save
 * `<stem>.labels.tsv` and `<output>.summary.json` beside the output.
 *
 * @module
 */
import type { ArcfaceSchema } from "../tfrecord/arcface_schema.ts";
import { ConvertError } from "./errors.ts";
import type { ImageSource } from "./image_source.ts";
import { planSource } from "./plan.ts";
import type { ProgressCallback } from "./progress.ts";
import { imageRecordStream } from "./record_streams.ts";
import { seededShuffle } from "../../random/seeded_rng.ts";
import { scanSource } from "./source_spec.ts";
import { type ConversionSummary, writeConversion } from "./write_conversion.ts";

/** Options of {@linkcode convertImages}. */
export interface ConvertOptions {
  /** binary: image bytes in the records (default); path: image paths. */
  schema?: ArcfaceSchema;
  /** Output files (default 1): `name-00000-of-0000N.tfrecord`. */
  shards?: number;
  /** Shuffle seed (default 0). */
  seed?: number;
  /** Keep the scan order instead of shuffling (default false). */
  noShuffle?: boolean;
  /** Skip identities with fewer images (empty identities are then skipped too). */
  minImages?: number;
  /** Skip (and list in the summary) bad files and empty identities instead of failing. */
  skipBad?: boolean;
  /**
   * Decode every JPEG/PNG with sharp to prove it is readable (default true; false only checks
   * the magic bytes, faster, but a truncated image then fails training instead).
   */
  verifyDecode?: boolean;
  /** Files read at once (default 8; 32 with verifyDecode false). */
  concurrency?: number;
  /** Progress reports while writing. */
  onProgress?: ProgressCallback;
  /** Alignment progress of `kface:` / `aligned:` sources (images done, total), per source. */
  onAlignProgress?: (done: number, total: number) => void;
}

/**
 * Converts `input` (a folder of identity folders, a `kface:` spec, or an already scanned
 * {@linkcode ImageSource}) into `output` and returns the summary (also saved as JSON).
 */
export async function convertImages(
  input: string | ImageSource,
  output: string,
  options: ConvertOptions = {},
): Promise<ConversionSummary> {
  const t0 = performance.now();
  const schema = options.schema ?? "binary";
  if (schema !== "binary" && schema !== "path") {
    throw new ConvertError(`unknown schema '${schema}' (use binary or path)`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConvertError(`seed must be an integer, got ${seed}`);
  // kface: / aligned: sources are aligned into `<output stem>.faces/0/` first.
  const source = typeof input === "string"
    ? await scanSource(input, {
      skipBad: options.skipBad,
      output,
      onAlignProgress: options.onAlignProgress,
    })
    : input;
  const plan = planSource(source, { minImages: options.minImages, skipBad: options.skipBad });
  const items = options.noShuffle ? plan.items : seededShuffle(plan.items, seed);
  const stream = imageRecordStream(items, {
    schema,
    verifyDecode: options.verifyDecode,
    skipBad: options.skipBad,
    concurrency: options.concurrency,
  });
  return await writeConversion(
    {
      labels: plan.labels,
      streams: [stream],
      skipped: [...source.skipped, ...plan.skipped],
      sources: [source.source],
      schema,
      alignment: source.alignment ? { [source.source]: source.alignment } : undefined,
    },
    output,
    {
      shards: options.shards,
      seed: options.noShuffle ? null : seed,
      onProgress: options.onProgress,
      startedAt: t0,
    },
  );
}
