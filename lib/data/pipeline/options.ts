/**
 * Options of the training input pipeline, their defaults (arcface-tf2's) and validation.
 *
 * @module
 */
import { PipelineConfigError } from "./errors.ts";
import type { WorkerPool } from "./worker_pool.ts";

/** On which value scale the brightness delta is added. */
export type BrightnessScale = "0-255" | "0-1";

/**
 * arcface-tf2's training augmentation (modules/dataset.py), each step switchable. Order:
 * resize -> crop -> flip -> saturation -> brightness -> clip -> /255.
 */
export interface AugmentOptions {
  /**
   * Bilinear resize (TF2 half-pixel centres) to `resize` x `resize` before cropping
   * (default 128). `false`: keep the decoded size (it must be at least `imageSize`).
   */
  resize?: number | false;
  /** Random `imageSize` crop (default true); `false`: centre crop (offset floor((S - size) / 2)). */
  randomCrop?: boolean;
  /** Random left-right flip with probability 1/2 (default true). */
  flip?: boolean;
  /** Saturation factor drawn uniformly from [lo, hi) (default [0.6, 1.4]); `false`: off. */
  saturation?: readonly [number, number] | false;
  /** Brightness delta drawn uniformly from [-d, d) (default 0.4); `false` or 0: off. */
  brightness?: number | false;
  /**
   * Scale the delta applies on (default "0-255", faithful to arcface-tf2, which adds it to 0..255
   * values, so +-0.4 is +-0.16% of the range). "0-1": the delta is a fraction of full range.
   */
  brightnessScale?: BrightnessScale;
  /**
   * Clip to [0, 255] after brightness (default true). arcface-tf2 does not clip: its output lies
   * in [-0.4/255, 1 + 0.4/255]; `clip: false` reproduces that exactly.
   */
  clip?: boolean;
}

/** Augmentation with every default filled in; `resize` 0 and `saturation` null mean off. */
export interface ResolvedAugment {
  /** Output side (112). */
  imageSize: number;
  /** Resize side, 0 = no resize. */
  resize: number;
  /** Random (true) or centre (false) crop. */
  randomCrop: boolean;
  /** Random flip on. */
  flip: boolean;
  /** Saturation factor range, null = off. */
  saturation: readonly [number, number] | null;
  /** Brightness max delta, 0 = off. */
  brightness: number;
  /** Scale of the brightness delta. */
  brightnessScale: BrightnessScale;
  /** Clip to the valid range after brightness. */
  clip: boolean;
}

/** Where a run stands: the next example to produce. Save it with a checkpoint to resume. */
export interface PipelineState {
  /** The seed of the run (resuming needs the same one). */
  seed: number;
  /** 0-based epoch of the next example. */
  epoch: number;
  /** How many examples of that epoch (in shuffled order) were already produced. */
  recordIndex: number;
}

/** Options of {@linkcode createTrainPipeline}. */
export interface PipelineOptions {
  /** Examples per batch (default 128, arcface-tf2's). */
  batchSize?: number;
  /** Seed of every random choice (default: drawn at random; read it back from `state`). */
  seed?: number;
  /** Passes over the data (default Infinity, arcface-tf2's `repeat()`). */
  epochs?: number;
  /** Shuffle buffer size in examples (default 10240, arcface-tf2's); 0 or 1: file order. */
  shuffleBuffer?: number;
  /** Shuffle the order of the shards each epoch (default true when shuffling). */
  shuffleShards?: boolean;
  /** Augmentation (default arcface-tf2's); `false`: none (centre crop, no resize, /255 only). */
  augment?: AugmentOptions | false;
  /** Output side (default 112). */
  imageSize?: number;
  /** When given, every label must be an integer in [0, numClasses) (else LabelRangeError). */
  numClasses?: number;
  /** Decode/augment workers (default 1: training keeps the other core). */
  workers?: number;
  /**
   * Use this pool instead of starting `workers` new ones; the caller owns it (the pipeline does
   * not close it). Lets several pipelines in a row share workers.
   */
  pool?: WorkerPool;
  /** Batches decoded ahead of the consumer (default 2): bounds memory, gives backpressure. */
  prefetchBatches?: number;
  /** Drop a last partial batch when `epochs` is finite (default false). */
  dropRemainder?: boolean;
  /** Check TFRecord CRCs (default true). */
  verifyCrc?: boolean;
  /** Base directory of relative `image/img_path`s in path-schema records (default: cwd). */
  imageRoot?: string;
  /** Resume from a state saved from `batch.state` or `pipeline.state` of an earlier run. */
  startFrom?: PipelineState;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  /** See {@linkcode PipelineOptions}. */
  batchSize: number;
  /** See {@linkcode PipelineOptions}. */
  seed: number;
  /** See {@linkcode PipelineOptions}. */
  epochs: number;
  /** See {@linkcode PipelineOptions}. */
  shuffleBuffer: number;
  /** See {@linkcode PipelineOptions}. */
  shuffleShards: boolean;
  /** See {@linkcode PipelineOptions}. */
  augment: ResolvedAugment;
  /** See {@linkcode PipelineOptions}. */
  numClasses: number | undefined;
  /** See {@linkcode PipelineOptions}. */
  workers: number;
  /** See {@linkcode PipelineOptions}. */
  pool: WorkerPool | undefined;
  /** See {@linkcode PipelineOptions}. */
  prefetchBatches: number;
  /** See {@linkcode PipelineOptions}. */
  dropRemainder: boolean;
  /** See {@linkcode PipelineOptions}. */
  verifyCrc: boolean;
  /** See {@linkcode PipelineOptions}. */
  imageRoot: string;
  /** See {@linkcode PipelineOptions}. */
  startFrom: PipelineState;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new PipelineConfigError(`Invalid ${name}: ${v} (a positive integer).`);
  }
  return v;
}

/** Fills in the augmentation defaults and checks them. */
export function resolveAugment(
  augment: AugmentOptions | false | undefined,
  imageSize: number,
): ResolvedAugment {
  positiveInt("imageSize", imageSize);
  if (augment === false) {
    return {
      imageSize,
      resize: 0,
      randomCrop: false,
      flip: false,
      saturation: null,
      brightness: 0,
      brightnessScale: "0-255",
      clip: false,
    };
  }
  const a = augment ?? {};
  const resize = a.resize === false ? 0 : positiveInt("augment.resize", a.resize ?? 128);
  if (resize && resize < imageSize) {
    throw new PipelineConfigError(
      `augment.resize (${resize}) is smaller than imageSize (${imageSize}): nothing to crop.`,
    );
  }
  const sat = a.saturation === false ? null : a.saturation ?? [0.6, 1.4];
  if (sat && !(sat[0] >= 0 && sat[1] >= sat[0] && Number.isFinite(sat[1]))) {
    throw new PipelineConfigError(`Invalid augment.saturation: [${sat}] (0 <= lo <= hi).`);
  }
  const brightness = a.brightness === false ? 0 : a.brightness ?? 0.4;
  if (!(brightness >= 0 && Number.isFinite(brightness))) {
    throw new PipelineConfigError(`Invalid augment.brightness: ${brightness} (>= 0).`);
  }
  const scale = a.brightnessScale ?? "0-255";
  if (scale !== "0-255" && scale !== "0-1") {
    throw new PipelineConfigError(`Invalid augment.brightnessScale: ${scale} ("0-255" or "0-1").`);
  }
  return {
    imageSize,
    resize,
    randomCrop: a.randomCrop ?? true,
    flip: a.flip ?? true,
    saturation: sat,
    brightness,
    brightnessScale: scale,
    clip: a.clip ?? true,
  };
}

/** Fills in every default and checks the values; throws PipelineConfigError. */
export function resolveOptions(options: PipelineOptions = {}): ResolvedOptions {
  const start = options.startFrom;
  if (start && options.seed !== undefined && options.seed !== start.seed) {
    throw new PipelineConfigError(
      `startFrom.seed (${start.seed}) differs from seed (${options.seed}): a run resumes only ` +
        `with its own seed; drop the seed option or pass the saved one.`,
    );
  }
  const seed = start?.seed ?? options.seed ?? Math.floor(Math.random() * 0x100000000);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new PipelineConfigError(`Invalid seed: ${seed} (a non-negative integer).`);
  }
  const epochs = options.epochs ?? Infinity;
  if (epochs !== Infinity) positiveInt("epochs", epochs);
  const shuffleBuffer = options.shuffleBuffer ?? 10240;
  if (!Number.isInteger(shuffleBuffer) || shuffleBuffer < 0) {
    throw new PipelineConfigError(`Invalid shuffleBuffer: ${shuffleBuffer} (an integer >= 0).`);
  }
  if (
    start && !(Number.isInteger(start.epoch) && start.epoch >= 0 &&
      Number.isInteger(start.recordIndex) && start.recordIndex >= 0)
  ) {
    throw new PipelineConfigError(`Invalid startFrom: ${JSON.stringify(start)}.`);
  }
  if (options.numClasses !== undefined) positiveInt("numClasses", options.numClasses);
  return {
    batchSize: positiveInt("batchSize", options.batchSize ?? 128),
    seed,
    epochs,
    shuffleBuffer,
    shuffleShards: options.shuffleShards ?? shuffleBuffer > 1,
    augment: resolveAugment(options.augment, options.imageSize ?? 112),
    numClasses: options.numClasses,
    workers: positiveInt("workers", options.workers ?? 1),
    pool: options.pool,
    prefetchBatches: positiveInt("prefetchBatches", options.prefetchBatches ?? 2),
    dropRemainder: options.dropRemainder ?? false,
    verifyCrc: options.verifyCrc ?? true,
    imageRoot: options.imageRoot ?? Deno.cwd(),
    startFrom: start ?? { seed, epoch: 0, recordIndex: 0 },
  };
}
