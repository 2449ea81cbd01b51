/**
 * The shared back half of convert and merge: consume record streams, write them to one or more
 * shards atomically, then write the label map (with the counts actually written) and the
 * summary JSON beside the output.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { sweepStaleTemps } from "../../io/stale_temps.ts";
import type { ArcfaceSchema } from "../tfrecord/arcface_schema.ts";
import type { SkippedFile } from "./errors.ts";
import type { AlignReport } from "./align_source.ts";
import { formatLabelsTsv, type LabelEntry, labelsPathFor, summaryPathFor } from "./labels_tsv.ts";
import { createProgressReporter, type ProgressCallback } from "./progress.ts";
import { interleaveStreams, type RecordStream } from "./record_streams.ts";
import { openShardedOutput } from "./sharded_output.ts";
import { writeFileAtomic } from "../../io/atomic_write.ts";

/** What a conversion or merge did; also saved as `<output>.summary.json`. */
export interface ConversionSummary {
  /** What was converted: the input folder(s), `kface:` specs or TFRecord files. */
  sources: string[];
  /** Schema of the records. */
  schema: ArcfaceSchema;
  /** Number of labels (classes) in labels.tsv: the head's `num_classes`. */
  identities: number;
  /** Records written: the `num_samples`. */
  images: number;
  /** Bytes written over all output files (framing included). */
  bytes: number;
  /** Files and identity folders left out, with why. */
  skipped: SkippedFile[];
  /** Labels left with 0 images because every one of their files was skipped as bad. */
  emptyLabels: number[];
  /** Seed of the shuffle / interleave (null when not shuffled). */
  seed: number | null;
  /** Seconds from start (scan included) to the end. */
  elapsedSec: number;
  /** `images / elapsedSec`. */
  imagesPerSec: number;
  /** The TFRecord files written (one, or the shards in order). */
  outputs: string[];
  /** Records per output file, same order. */
  recordsPerOutput: number[];
  /** The label map. */
  labelsFile: string;
  /** This summary's own file. */
  summaryFile: string;
  /** Temp files of killed earlier runs (dead PIDs) beside the output, removed before writing. */
  removedTemps: string[];
  /**
   * Per aligned source (`kface:`, `aligned:`), keyed by its spec: where the crops came from
   * (information-file landmarks / box, detector, no face) and their folder.
   */
  alignment?: Record<string, AlignReport>;
}

/** Inputs of {@linkcode writeConversion}. */
export interface ConversionPlan {
  /** Labels with planned counts; counts are replaced by the counts written. */
  labels: LabelEntry[];
  /** Record streams, interleaved by seed when more than one. */
  streams: RecordStream[];
  /** Skipped during scanning and planning. */
  skipped: SkippedFile[];
  /** For the summary. */
  sources: string[];
  /** For the summary. */
  schema: ArcfaceSchema;
  /** For the summary: alignment reports of aligned sources, keyed by spec. */
  alignment?: Record<string, AlignReport>;
}

/** Options of {@linkcode writeConversion}. */
export interface WriteConversionOptions {
  /** Output files (default 1). */
  shards?: number;
  /** Interleave seed, recorded in the summary (null: not shuffled). */
  seed: number | null;
  /** Progress reports while writing. */
  onProgress?: ProgressCallback;
  /** Start time (performance.now()) for elapsedSec (default: now). */
  startedAt?: number;
}

/**
 * Removes `<output stem>*.tmp-<pid>` files of dead PIDs beside `output` (shards, labels.tsv,
 * summary of a killed run); never a live process's temp. Returns the paths removed.
 */
export async function sweepOutputTemps(output: string): Promise<string[]> {
  const stem = basename(output).replace(/\.tfrecords?$/i, "");
  return await sweepStaleTemps(dirname(output), { match: (name) => name.startsWith(stem) });
}

/** Writes the records of `plan` to `output` (see the module doc) and returns the summary. */
export async function writeConversion(
  plan: ConversionPlan,
  output: string,
  options: WriteConversionOptions,
): Promise<ConversionSummary> {
  const t0 = options.startedAt ?? performance.now();
  const shards = options.shards ?? 1;
  const total = plan.streams.reduce((a, s) => a + s.total, 0);
  const removedTemps = await sweepOutputTemps(resolve(output));
  const out = await openShardedOutput(resolve(output), shards);
  const counts = new Map<number, number>();
  const skipped = [...plan.skipped];
  const progress = createProgressReporter(total, options.onProgress);
  let n = 0;
  let files;
  try {
    for await (const item of interleaveStreams(plan.streams, options.seed ?? 0)) {
      if ("skipped" in item) {
        skipped.push(item.skipped);
        progress.tick(0, true);
        n++;
        continue;
      }
      const shard = Math.min(shards - 1, Math.floor((n * shards) / Math.max(1, total)));
      await out.write(item.record, shard);
      counts.set(item.label, (counts.get(item.label) ?? 0) + 1);
      progress.tick(item.record.length + 16, false);
      n++;
    }
    files = await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  progress.finish();
  const labels = plan.labels.map((l) => ({ ...l, count: counts.get(l.label) ?? 0 }));
  const labelsFile = labelsPathFor(resolve(output));
  const summaryFile = summaryPathFor(resolve(output));
  await writeFileAtomic(labelsFile, formatLabelsTsv(labels));
  const images = files.reduce((a, f) => a + f.records, 0);
  const elapsedSec = (performance.now() - t0) / 1000;
  const summary: ConversionSummary = {
    sources: plan.sources,
    schema: plan.schema,
    identities: labels.length,
    images,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    skipped,
    emptyLabels: labels.filter((l) => l.count === 0).map((l) => l.label),
    seed: options.seed,
    elapsedSec: Math.round(elapsedSec * 1000) / 1000,
    imagesPerSec: Math.round(images / Math.max(elapsedSec, 1e-9)),
    outputs: files.map((f) => f.path),
    recordsPerOutput: files.map((f) => f.records),
    labelsFile,
    summaryFile,
    removedTemps,
  };
  if (plan.alignment && Object.keys(plan.alignment).length > 0) summary.alignment = plan.alignment;
  await writeFileAtomic(summaryFile, JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
