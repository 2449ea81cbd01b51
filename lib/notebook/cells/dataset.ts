/**
 * Sections 1.1 / 2.1: the training data — conversion to TFRecord (or merge), its counts, the
 * label table, and a grid of sample faces read back from the TFRecord.
 *
 * @module
 */
import { join } from "node:path";
import type { TrainConfig } from "../../config/mod.ts";
import {
  type ConversionSummary,
  type LabelEntry,
  labelsPathFor,
  readLabelsTsv,
} from "../../data/convert/mod.ts";
import { decodeArcfaceExample, readTFRecords } from "../../data/tfrecord/mod.ts";
import { type Displayable, htmlTable, imageGrid } from "../display/mod.ts";
import { prepareConfigData, type TrainDataInfo } from "../../train/mod.ts";
import { convertProgress } from "../display/progress.ts";
import { type DisplayTarget, LiveProgress } from "../display/live_progress.ts";
import { sourceCounts } from "./tfrecord_view.ts";

/** The data of a section: conversion info, its summary and label map. */
export interface SectionData {
  info: TrainDataInfo;
  summary: ConversionSummary;
  labels: LabelEntry[];
}

/**
 * Converts (or merges) the config's `prepare_from` into `train_dataset` when it does not exist
 * yet, and reads back its summary and label map. A conversion shows its progress as one display
 * on `options.display` (`Deno.jupyter`) updated in place, its full log in
 * `<results_dir>/<sub_name>/data_progress.log`; warnings are lines of the same display.
 */
export async function prepareSectionData(
  config: TrainConfig,
  options: { display?: DisplayTarget } = {},
): Promise<SectionData> {
  const logPath = join(config.results_dir, config.sub_name, "data_progress.log");
  const live = new LiveProgress(options.display, { logPath });
  let info;
  try {
    info = await prepareConfigData(config, { onProgress: convertProgress(live) });
    for (const w of info.warnings) live.warn(w);
  } finally {
    await live.finish();
  }
  if (!info.summary) {
    throw new Error(
      `${config.train_dataset} has no summary file: convert it with deno task convert`,
    );
  }
  const labels = await readLabelsTsv(labelsPathFor(config.train_dataset));
  return { info, summary: info.summary, labels };
}

/** Identities and images, in total and per source (merged sets). */
export function datasetTable(data: SectionData, caption: string): Displayable {
  const rows: Record<string, string | number>[] = [...sourceCounts(data)].map(([source, e]) => ({
    source,
    identities: e.identities,
    images: e.images,
    "images / identity": (e.images / e.identities).toFixed(2),
  }));
  if (rows.length > 1) {
    rows.push({
      source: "together",
      identities: data.summary.identities,
      images: data.summary.images,
      "images / identity": (data.summary.images / data.summary.identities).toFixed(2),
    });
  }
  return htmlTable(rows, { caption });
}

/** The merged label table: the first and last labels of every source, with their counts. */
export function labelTable(data: SectionData, options: { perSource?: number } = {}): Displayable {
  const n = options.perSource ?? 3;
  const groups = new Map<string, LabelEntry[]>();
  for (const l of data.labels) {
    const src = l.source ?? "(single source)";
    groups.set(src, [...(groups.get(src) ?? []), l]);
  }
  const rows: Record<string, string | number>[] = [];
  for (const [source, ls] of groups) {
    const shown = ls.length <= 2 * n ? ls : [...ls.slice(0, n), null, ...ls.slice(-n)];
    for (const l of shown) {
      rows.push(
        l === null
          ? { label: "…", identity: `(${ls.length - 2 * n} more)`, images: "", source: "" }
          : { label: l.label, identity: l.identity, images: l.count, source },
      );
    }
  }
  return htmlTable(rows, { caption: "Label table (labels.tsv): dense labels, one per identity" });
}

/** A grid of the first `count` images of distinct identities in the TFRecord. */
export async function sampleFaces(
  shards: string | readonly string[],
  options: { count?: number } = {},
): Promise<Displayable> {
  const count = options.count ?? 24;
  const seen = new Set<number>();
  const images: Uint8Array[] = [];
  for await (const record of readTFRecords(shards)) {
    const ex = decodeArcfaceExample(record);
    if (seen.has(ex.label) || !ex.encoded) continue;
    seen.add(ex.label);
    images.push(ex.encoded.slice());
    if (images.length >= count) break;
  }
  return await imageGrid(images, { columns: 12, tile: 72 });
}
