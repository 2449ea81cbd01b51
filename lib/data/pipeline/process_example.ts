/**
 * The per-example work done off the main thread: parse the tf.train.Example, get the image bytes
 * (embedded: binary schema; or read from `image/img_path`: path schema), decode them with sharp
 * to raw RGB, augment.
 *
 * @module
 */
import sharp from "sharp";
import { isAbsolute, join } from "node:path";
import { decodeArcfaceExample } from "../tfrecord/mod.ts";
import { augmentImage } from "./augment.ts";
import { RecordDecodeError, ShardNotFoundError } from "./errors.ts";
import type { ResolvedAugment } from "./options.ts";
import { createRng } from "../../random/seeded_rng.ts";

/** One example to process. */
export interface ExampleTask {
  /** TFRecord file the record came from (for error messages). */
  file: string;
  /** 0-based index of the record in `file`. */
  recordIndex: number;
  /** The record payload (a serialized tf.train.Example). */
  record: Uint8Array;
  /** Seed of this example's augmentation generator. */
  seed: number;
}

/** Settings shared by every task of a run. */
export interface ProcessConfig {
  /** Augmentation. */
  augment: ResolvedAugment;
  /** Base of relative image paths (path schema). */
  imageRoot: string;
}

/** A processed example. */
export interface ProcessedExample {
  /** Class label. */
  label: number;
  /** Pixels, [size, size, 3] RGB in [0, 1]. */
  image: Float32Array;
}

/**
 * Decodes an encoded JPEG/PNG to raw RGB with sharp (libvips), like TF's
 * `decode_image(channels=3)`: grey is replicated to RGB, alpha is dropped, EXIF orientation is
 * ignored. Values 0..255 as float, [height, width, 3].
 */
export async function decodeImage(
  bytes: Uint8Array,
): Promise<{ data: Float32Array; height: number; width: number }> {
  const { data, info } = await sharp(bytes).raw({ depth: "uchar" }).toBuffer({
    resolveWithObject: true,
  });
  const { width, height, channels } = info;
  if (channels === 3) return { data: new Float32Array(data), height, width }; // [h, w, 3]
  if (channels < 1 || channels > 4 || data.length !== width * height * channels) {
    throw new Error(`decoded to ${channels} channels, ${data.length} bytes: not 8-bit grey/RGB(A)`);
  }
  const out = new Float32Array(width * height * 3); // [h, w, 3]
  const grey = channels <= 2; // grey or grey + alpha
  for (let i = 0, o = 0; o < out.length; i += channels, o += 3) {
    out[o] = data[i];
    out[o + 1] = grey ? data[i] : data[i + 1];
    out[o + 2] = grey ? data[i] : data[i + 2];
  }
  return { data: out, height, width };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Parses, decodes and augments one record. Throws RecordDecodeError (bad Example or image bytes)
 * or ShardNotFoundError (a path-schema image file is missing).
 */
export async function processExample(
  task: ExampleTask,
  config: ProcessConfig,
): Promise<ProcessedExample> {
  let ex;
  try {
    ex = decodeArcfaceExample(task.record);
  } catch (e) {
    throw new RecordDecodeError(task.file, task.recordIndex, `bad tf.train.Example: ${message(e)}`);
  }
  let bytes = ex.encoded;
  if (!bytes || bytes.length === 0) {
    if (!ex.imgPath) {
      throw new RecordDecodeError(
        task.file,
        task.recordIndex,
        "it has neither image/encoded nor image/img_path",
      );
    }
    const path = isAbsolute(ex.imgPath) ? ex.imgPath : join(config.imageRoot, ex.imgPath);
    try {
      bytes = await Deno.readFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new ShardNotFoundError(
          path,
          `Record ${task.recordIndex} of ${task.file} names this image (path schema). Set ` +
            `imageRoot to the folder its relative paths start from, or re-convert the dataset.`,
        );
      }
      throw e;
    }
  }
  let img;
  try {
    img = await decodeImage(bytes);
  } catch (e) {
    const what = ex.filename || ex.imgPath;
    throw new RecordDecodeError(
      task.file,
      task.recordIndex,
      `image bytes${what ? ` (${what})` : ""} are not a decodable JPEG/PNG: ${message(e)}`,
      `The image is truncated or corrupt and was written without a decode check: re-convert ` +
        `the dataset (deno task convert / merge) with --verify-decode (the default) to name ` +
        `every such image, and --skip-bad to leave them out.`,
    );
  }
  let image;
  try {
    image = augmentImage(img, createRng(task.seed), config.augment);
  } catch (e) {
    throw new RecordDecodeError(task.file, task.recordIndex, message(e));
  }
  return { label: ex.label, image };
}
