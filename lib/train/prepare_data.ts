/**
 * Makes sure a run's training TFRecord exists (converting `prepare_from` when it does not) and
 * checks the config's `num_classes` / `num_samples` against what the conversion wrote.
 *
 * @module
 */
import { existsSync } from "node:fs";
import {
  type ConversionSummary,
  convertImages,
  type ConvertProgress,
  mergeSources,
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
 * Returns the shards of `dataset`, converting `prepareFrom` into it first when no file of it
 * exists. Throws {@linkcode TrainDataError} for a missing dataset with nothing to convert, an
 * empty one, or `num_classes` smaller than the data's class count.
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
  if (summary) {
    if (summary.images === 0) {
      throw new TrainDataError(`train_dataset '${dataset}' holds no images (see its summary)`);
    }
    if (options.numClasses < summary.identities) {
      throw new TrainDataError(
        `num_classes is ${options.numClasses} but '${dataset}' has ${summary.identities} ` +
          `classes (labels 0..${summary.identities - 1}): set num_classes: ${summary.identities}`,
      );
    }
    if (options.numSamples !== summary.images) {
      warnings.push(
        `num_samples is ${options.numSamples} but '${dataset}' holds ${summary.images} images: ` +
          `an "epoch" of this run is num_samples / batch_size steps, as in arcface-tf2; set ` +
          `num_samples: ${summary.images} to make epochs match the data`,
      );
    }
    if (options.numClasses > summary.identities) {
      warnings.push(
        `num_classes is ${options.numClasses} but '${dataset}' has ${summary.identities} ` +
          `classes: the extra class centres are never a label`,
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
