/**
 * Merges two or more sources (image folders, `kface:` selections, TFRecords written by
 * convert/merge with their labels.tsv) into one TFRecord. Each source's labels are shifted by
 * the number of labels before it, so identities of different sources never collide; the merged
 * labels.tsv gets a `source` column. Records of all sources are interleaved in a seeded random
 * order; image sources are shuffled, TFRecord sources keep their own (already shuffled) order.
 *
 * @module
 */
import type { ArcfaceSchema } from "../tfrecord/arcface_schema.ts";
import { decodeArcfaceExample, encodeArcfaceExample } from "../tfrecord/arcface_schema.ts";
import { readTFRecordEntries } from "../tfrecord/tfrecord_reader.ts";
import { ConvertError, type SkippedFile } from "./errors.ts";
import { type LabelEntry, readLabelsTsv } from "./labels_tsv.ts";
import { planSource } from "./plan.ts";
import type { ProgressCallback } from "./progress.ts";
import { imageRecordStream, type RecordStream, type RecordStreamItem } from "./record_streams.ts";
import { seededShuffle } from "../../random/seeded_rng.ts";
import { isTFRecordSpec, resolveTFRecordSource, scanSource } from "./source_spec.ts";
import { type ConversionSummary, writeConversion } from "./write_conversion.ts";
import type { AlignReport } from "./align_source.ts";

/** Options of {@linkcode mergeSources} (as in convert). */
export interface MergeOptions {
  /** Schema of the output; TFRecord sources must already have it (default binary). */
  schema?: ArcfaceSchema;
  /** Output files (default 1). */
  shards?: number;
  /** Seed of the image shuffles and of the interleave (default 0). */
  seed?: number;
  /** Drop identities with fewer images, in every source. */
  minImages?: number;
  /** Skip bad files and empty identities instead of failing. */
  skipBad?: boolean;
  /** Decode every JPEG/PNG read from image sources (default true, as in convert). */
  verifyDecode?: boolean;
  /** Progress reports while writing. */
  onProgress?: ProgressCallback;
  /** Alignment progress of `kface:` / `aligned:` sources (images done, total), per source. */
  onAlignProgress?: (done: number, total: number) => void;
}

interface TFRecordPlan {
  labels: LabelEntry[];
  stream: RecordStream;
  skipped: SkippedFile[];
}

async function planTFRecordSource(
  spec: string,
  offset: number,
  options: MergeOptions,
): Promise<TFRecordPlan> {
  const { files, labelsFile } = await resolveTFRecordSource(spec);
  const old = await readLabelsTsv(labelsFile);
  const minImages = options.minImages ?? 1;
  const remap = new Int32Array(old.length).fill(-1);
  const labels: LabelEntry[] = [];
  const skipped: SkippedFile[] = [];
  for (const l of old) {
    if (l.count < minImages) {
      skipped.push({
        file: `${spec}#${l.identity}`,
        reason: `only ${l.count} images (fewer than --min-images ${minImages})`,
      });
      continue;
    }
    remap[l.label] = offset + labels.length;
    labels.push({
      label: offset + labels.length,
      identity: l.identity,
      count: l.count,
      source: l.source ?? spec,
    });
  }
  const schema = options.schema ?? "binary";
  async function* gen(): AsyncGenerator<RecordStreamItem> {
    for await (const e of readTFRecordEntries(files)) {
      let ex;
      try {
        ex = decodeArcfaceExample(e.record);
      } catch (err) {
        throw new ConvertError(
          `${e.file}: record ${e.index} at byte ${e.offset}: ${(err as Error).message}`,
          e.file,
        );
      }
      if (ex.label >= old.length) {
        throw new ConvertError(
          `${e.file}: record ${e.index} has label ${ex.label} but ${labelsFile} lists only ` +
            `${old.length} labels: the label map does not belong to this TFRecord.`,
          e.file,
        );
      }
      const label = remap[ex.label];
      if (label < 0) continue;
      if (ex.schema !== schema) {
        throw new ConvertError(
          `${e.file}: record ${e.index} uses the ${ex.schema} schema but the merged output is ` +
            `${schema}: pass --schema ${ex.schema} or re-convert the source.`,
          e.file,
        );
      }
      const record = ex.schema === "binary"
        ? encodeArcfaceExample({ label, filename: ex.filename ?? "", encoded: ex.encoded! })
        : encodeArcfaceExample({ label, imgPath: ex.imgPath! });
      yield { record, label, imageBytes: ex.encoded?.length ?? 0 };
    }
  }
  const total = labels.reduce((a, l) => a + l.count, 0);
  return { labels, stream: { total, items: gen() }, skipped };
}

/** Merges `sources` into `output` (see the module doc) and returns the summary. */
export async function mergeSources(
  sources: readonly string[],
  output: string,
  options: MergeOptions = {},
): Promise<ConversionSummary> {
  const t0 = performance.now();
  if (sources.length < 2) {
    throw new ConvertError(`merge needs at least two sources, got ${sources.length}`);
  }
  const schema = options.schema ?? "binary";
  const seed = options.seed ?? 0;
  const labels: LabelEntry[] = [];
  const streams: RecordStream[] = [];
  const skipped: SkippedFile[] = [];
  const alignment: Record<string, AlignReport> = {};
  for (const [k, spec] of sources.entries()) {
    if (isTFRecordSpec(spec)) {
      const p = await planTFRecordSource(spec, labels.length, options);
      labels.push(...p.labels);
      streams.push(p.stream);
      skipped.push(...p.skipped);
      continue;
    }
    // kface: / aligned: sources are aligned into `<output stem>.faces/<k>/` first.
    const scan = await scanSource(spec, {
      skipBad: options.skipBad,
      output,
      sourceIndex: k,
      onAlignProgress: options.onAlignProgress,
    });
    if (scan.alignment) alignment[spec] = scan.alignment;
    const plan = planSource(scan, {
      minImages: options.minImages,
      skipBad: options.skipBad,
      labelOffset: labels.length,
      source: spec,
    });
    labels.push(...plan.labels);
    skipped.push(...scan.skipped, ...plan.skipped);
    streams.push(
      imageRecordStream(seededShuffle(plan.items, (seed + k * 0x9e3779b9) >>> 0), {
        schema,
        verifyDecode: options.verifyDecode,
        skipBad: options.skipBad,
      }),
    );
  }
  return await writeConversion(
    { labels, streams, skipped, sources: [...sources], schema, alignment },
    output,
    { shards: options.shards, seed, onProgress: options.onProgress, startedAt: t0 },
  );
}
