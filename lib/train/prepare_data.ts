/**
 * Makes sure a run's training TFRecord exists (converting `prepare_from` when it does not) and
 * checks the config's `num_classes` / `num_samples` against what the conversion wrote.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type ConversionSummary,
  convertImages,
  type ConvertProgress,
  labelsPathFor,
  mergeSources,
  readLabelsTsv,
  summaryPathFor,
} from "../data/convert/mod.ts";
import { resolveShards } from "../data/pipeline/mod.ts";
import type { TrainConfig } from "../config/mod.ts";

/** Raised when the training data is missing, empty or does not match the config. */
export class TrainDataError extends Error {
  override name = "TrainDataError";
}

/** What {@linkcode prepareTrainData} found. */
export interface TrainDataInfo {
  /** The shard files. */
  shards: string[];
  /** The conversion summary, when `<train_dataset>.summary.json` exists. */
  summary?: ConversionSummary;
  /** Whether this call converted the data. */
  converted: boolean;
  /** Warnings to show (e.g. `num_samples` differs from the data). */
  warnings: string[];
}

/** Options of {@linkcode prepareTrainData}. */
export interface PrepareOptions {
  /** Sources to convert when the file is missing: one spec, or several joined by " + " (merged). */
  prepareFrom?: string | null;
  /** The config's class count (checked against the data's). */
  numClasses: number;
  /** The config's sample count (a mismatch is a warning). */
  numSamples: number;
  /** Leave out identities with fewer images when converting (default 1). */
  minImages?: number;
  /** Skip (and list in the summary) non-image files and bad images (default false). */
  skipBad?: boolean;
  /** Binary (image bytes) or path schema. */
  binary?: boolean;
  /** Conversion progress. */
  onProgress?: (p: ConvertProgress) => void;
}

async function readSummary(dataset: string): Promise<ConversionSummary | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(summaryPathFor(dataset)));
  } catch {
    return undefined;
  }
}

/**
 * The number of identities of `dataset` and the file that says so: its label map
 * (`<stem>.labels.tsv`) when there is one, else its conversion summary.
 */
async function classCount(
  dataset: string,
  summary: ConversionSummary | undefined,
): Promise<{ count: number; file: string } | undefined> {
  const labelsFile = labelsPathFor(dataset);
  if (existsSync(labelsFile)) {
    return { count: (await readLabelsTsv(labelsFile)).length, file: labelsFile };
  }
  if (summary) return { count: summary.identities, file: summaryPathFor(dataset) };
  // A plain labels.tsv beside it (as merge accepts for a TFRecord source).
  const plain = join(dirname(dataset), "labels.tsv");
  if (existsSync(plain)) return { count: (await readLabelsTsv(plain)).length, file: plain };
  return undefined;
}

/**
 * Returns the shards of `dataset`, converting `prepareFrom` into it first when no file of it
 * exists. Throws {@linkcode TrainDataError} for a missing dataset with nothing to convert, an
 * empty one, or `num_classes` smaller than the data's class count (from the label map beside it,
 * else its summary); a larger `num_classes` is a warning.
 */
export async function prepareTrainData(
  dataset: string,
  options: PrepareOptions,
): Promise<TrainDataInfo> {
  let converted = false;
  let shards: string[] | undefined;
  try {
    shards = await resolveShards(dataset);
  } catch {
    shards = undefined;
  }
  if (!shards || shards.length === 0) {
    const from = options.prepareFrom?.split(" + ").map((s) => s.trim()).filter(Boolean) ?? [];
    if (from.length === 0) {
      throw new TrainDataError(
        `train_dataset '${dataset}' does not exist. Convert your images first ` +
          `(deno task convert <identity folders> ${dataset}) or set prepare_from in the config ` +
          `to a folder, 'lfw-people:<lfw>/peopleDevTrain.txt' or a kface: selection.`,
      );
    }
    const schema = options.binary === false ? "path" : "binary";
    if (from.length === 1) {
      await convertImages(from[0], dataset, {
        schema,
        minImages: options.minImages,
        skipBad: options.skipBad,
        onProgress: options.onProgress,
      });
    } else {
      await mergeSources(from, dataset, {
        schema,
        minImages: options.minImages,
        skipBad: options.skipBad,
        onProgress: options.onProgress,
      });
    }
    converted = true;
    shards = await resolveShards(dataset);
  }
  const summary = await readSummary(dataset);
  const warnings: string[] = [];
  if (!existsSync(shards[0]) || (await Deno.stat(shards[0])).size === 0) {
    throw new TrainDataError(`train_dataset '${dataset}' is empty: convert the data again`);
  }
  const classes = await classCount(dataset, summary);
  if (classes) {
    if (options.numClasses < classes.count) {
      throw new TrainDataError(
        `num_classes is ${options.numClasses} but ${classes.file} lists ${classes.count} ` +
          `identities (labels 0..${classes.count - 1}), so labels ${options.numClasses}.. ` +
          `would have no class: set num_classes: ${classes.count} in the config ` +
          `(or --set num_classes=${classes.count})`,
      );
    }
    if (options.numClasses > classes.count) {
      warnings.push(
        `num_classes is ${options.numClasses} but ${classes.file} lists ${classes.count} ` +
          `identities: the extra ${options.numClasses - classes.count} class centres are never ` +
          `a label and never train (arcface-tf2 allows it); set num_classes: ${classes.count} ` +
          `to match the data`,
      );
    }
  }
  if (summary) {
    if (summary.images === 0) {
      throw new TrainDataError(`train_dataset '${dataset}' holds no images (see its summary)`);
    }
    if (options.numSamples !== summary.images) {
      warnings.push(
        `num_samples is ${options.numSamples} but '${dataset}' holds ${summary.images} images: ` +
          `an "epoch" of this run is num_samples / batch_size steps, as in arcface-tf2; set ` +
          `num_samples: ${summary.images} to make epochs match the data`,
      );
    }
  }
  return { shards, summary, converted, warnings };
}

/** {@linkcode prepareTrainData} with a config's data keys (train_dataset, prepare_*, num_*). */
export async function prepareConfigData(
  config: TrainConfig,
  options: { onProgress?: (p: ConvertProgress) => void } = {},
): Promise<TrainDataInfo> {
  return await prepareTrainData(config.train_dataset, {
    prepareFrom: config.prepare_from,
    minImages: config.prepare_min_images,
    skipBad: config.prepare_skip_bad,
    numClasses: config.num_classes,
    numSamples: config.num_samples,
    binary: config.binary_img,
    onProgress: options.onProgress,
  });
}
