/**
 * The one typed training config ({@linkcode TrainConfig}): arcface-tf2's YAML keys with their
 * meaning and defaults, plus this project's keys. Keys are snake_case, identical to the YAML.
 *
 * @module
 */
import type { HeadName } from "../heads/build_head.ts";
import type { BackboneName } from "../models/embedding_model.ts";

/** Backend names a config may ask for (`auto` picks the best available one). */
export const CONFIG_BACKEND_NAMES = [
  "auto",
  "tensorflow",
  "tfjs-node-gpu",
  "tfjs-node",
  "webgpu",
  "wasm",
  "cpu",
] as const;

/** A backend name as a config spells it. */
export type ConfigBackendName = typeof CONFIG_BACKEND_NAMES[number];

/** Learning-rate schedules. */
export const LR_SCHEDULES = ["constant", "step", "linear"] as const;

/** A learning-rate schedule name. */
export type LrScheduleName = typeof LR_SCHEDULES[number];

/** Which weights get the L2 weight decay `w_decay`. */
export const WEIGHT_DECAY_SCOPES = ["embedding", "all"] as const;

/** A weight-decay scope name. */
export type WeightDecayScope = typeof WEIGHT_DECAY_SCOPES[number];

/** Scales the brightness delta can be applied on. */
export const BRIGHTNESS_SCALES = ["0-255", "0-1"] as const;

/** A brightness scale name. */
export type BrightnessScaleName = typeof BRIGHTNESS_SCALES[number];

/** Training-time augmentation (arcface-tf2's `modules/dataset.py` with every step switchable). */
export interface AugmentConfig {
  /** Resize to this square side before cropping (>= input_size), or `false` for no resize. */
  resize: number | false;
  /** Random crop of input_size x input_size (a centre-free crop of the resized image). */
  random_crop: boolean;
  /** Random horizontal flip. */
  flip: boolean;
  /** Random saturation factor range `[lo, hi]` (0 <= lo <= hi), or `false`. */
  saturation: [number, number] | false;
  /** Random brightness delta `max_delta` (>= 0), or `false`. */
  brightness: number | false;
  /** Pixel scale the brightness delta applies on: arcface-tf2's `"0-255"` (almost no effect) or `"0-1"`. */
  brightness_scale: BrightnessScaleName;
  /** Clip pixels back into range after saturation/brightness. */
  clip: boolean;
}

/** The resolved training config: every key present, defaults filled in. */
export interface TrainConfig {
  /** [arcface-tf2] Images per optimisation step (default 128). */
  batch_size: number;
  /** [arcface-tf2] Square input side in pixels, >= 32 (default 112). */
  input_size: number;
  /** [arcface-tf2] Embedding size (default 512). */
  embd_shape: number;
  /** [arcface-tf2] Run name; names the run folder, only `[A-Za-z0-9._-]` (required). */
  sub_name: string;
  /** [arcface-tf2] Backbone network (default "ResNet50"). */
  backbone_type: BackboneName;
  /** [arcface-tf2] Classification head (default "ArcHead"). */
  head_type: HeadName;
  /** [arcface-tf2] Centre crop flag; kept for compatibility, ignored in training (default false). */
  is_ccrop: boolean;
  /** [arcface-tf2] Training TFRecord: a path, or a glob/prefix of shards (required). */
  train_dataset: string;
  /** [arcface-tf2] Records hold the image bytes (true) or an image path (false) (default true). */
  binary_img: boolean;
  /** [arcface-tf2] Number of identities = head classes, >= 2 (required). */
  num_classes: number;
  /** [arcface-tf2] Number of training images; sets the steps per epoch (required). */
  num_samples: number;
  /** [arcface-tf2] Training epochs (default 5). */
  epochs: number;
  /** [arcface-tf2] Base learning rate, > 0 (default 0.01). */
  base_lr: number;
  /** [arcface-tf2] L2 weight-decay factor, >= 0 (default 5e-4). */
  w_decay: number;
  /** [arcface-tf2] Steps between checkpoints (default 1000). */
  save_steps: number;
  /** [arcface-tf2] Folder of .bin verification sets; bare `eval_sets` names resolve in it (default null). */
  test_dataset: string | null;
  /** Compute backend (default "auto"). */
  backend: ConfigBackendName;
  /** ArcFace angular margin m in radians, in [0, pi/2) (default 0.5). */
  margin: number;
  /** ArcFace logit scale s, > 0 (default 64). */
  logit_scale: number;
  /** Images per forward/backward pass (gradient accumulation); null = batch_size (default null). */
  micro_batch_size: number | null;
  /** Learning-rate schedule (default "constant", as arcface-tf2). */
  lr_schedule: LrScheduleName;
  /** Step schedule: strictly increasing steps where the LR is multiplied by lr_gamma (default []). */
  lr_steps: number[];
  /** Step schedule: LR factor at each of lr_steps, in (0, 1] (default 0.1). */
  lr_gamma: number;
  /** Linear schedule: LR reached at the last step, >= 0 (default 0). */
  lr_end: number;
  /** Steps of linear warm-up from 0 to base_lr (default 0). */
  warmup_steps: number;
  /** SGD momentum, in [0, 1) (default 0.9). */
  momentum: number;
  /** Nesterov momentum (default true). */
  nesterov: boolean;
  /** Weight decay on the embedding Dense kernel only (arcface-tf2) or on every weight (default "embedding"). */
  weight_decay_scope: WeightDecayScope;
  /** Clip the global gradient norm to this value, or null for no clipping (default null). */
  grad_clip_norm: number | null;
  /** Training augmentation (defaults: arcface-tf2's pipeline). */
  augment: AugmentConfig;
  /** Backbone width multiplier, > 0 (default 1.0). */
  width: number;
  /** Output-layer dropout rate, in [0, 1) (default 0.5). */
  dropout: number;
  /** Seed of weight initialisation, shuffling and augmentation (default 0). */
  seed: number;
  /** Data-parallel training replicas, one core each (default 1). */
  train_workers: number;
  /** Data-loading workers (default 1). */
  data_workers: number;
  /** Verification sets: names like "lfw-view1", .bin paths, or "folder:pairs.txt" (default []). */
  eval_sets: string[];
  /** Steps between evaluations; 0 = only at the end (default 0). */
  eval_interval: number;
  /** Add the flipped image's embedding at evaluation (default true). */
  eval_flip: boolean;
  /** Cap on the total step count, or null (default null). */
  max_steps: number | null;
  /** Wall-clock budget in minutes; training stops cleanly with a checkpoint (default null). */
  max_minutes: number | null;
  /** Steps between log lines (default 1). */
  log_steps: number;
  /** Checkpoints kept on disk (default 3). */
  keep_checkpoints: number;
  /** Folder of run folders (default "results"). */
  results_dir: string;
  /** Base of relative paths in path-schema records, or null (default null). */
  image_root: string | null;
  /** Source to convert into train_dataset when that file does not exist yet, or null (default null). */
  prepare_from: string | null;
  /** With prepare_from: leave out identities with fewer images (default 1: keep all). */
  prepare_min_images: number;
  /** With prepare_from: skip (and list) non-image files and bad images instead of failing (default false). */
  prepare_skip_bad: boolean;
}

/** Keys a config must set (no default). */
export const REQUIRED_KEYS = ["sub_name", "train_dataset", "num_classes", "num_samples"] as const;

/** A key a config must set. */
export type RequiredConfigKey = typeof REQUIRED_KEYS[number];

const AUGMENT_ORDER: Record<keyof AugmentConfig, true> = {
  resize: true,
  random_crop: true,
  flip: true,
  saturation: true,
  brightness: true,
  brightness_scale: true,
  clip: true,
};

/** Every `augment` key, in declared order. */
export const AUGMENT_KEYS: readonly (keyof AugmentConfig)[] = Object.freeze(
  Object.keys(AUGMENT_ORDER) as (keyof AugmentConfig)[],
);

const KEY_ORDER: Record<keyof TrainConfig, true> = {
  batch_size: true,
  input_size: true,
  embd_shape: true,
  sub_name: true,
  backbone_type: true,
  head_type: true,
  is_ccrop: true,
  train_dataset: true,
  binary_img: true,
  num_classes: true,
  num_samples: true,
  epochs: true,
  base_lr: true,
  w_decay: true,
  save_steps: true,
  test_dataset: true,
  backend: true,
  margin: true,
  logit_scale: true,
  micro_batch_size: true,
  lr_schedule: true,
  lr_steps: true,
  lr_gamma: true,
  lr_end: true,
  warmup_steps: true,
  momentum: true,
  nesterov: true,
  weight_decay_scope: true,
  grad_clip_norm: true,
  augment: true,
  width: true,
  dropout: true,
  seed: true,
  train_workers: true,
  data_workers: true,
  eval_sets: true,
  eval_interval: true,
  eval_flip: true,
  max_steps: true,
  max_minutes: true,
  log_steps: true,
  keep_checkpoints: true,
  results_dir: true,
  image_root: true,
  prepare_from: true,
  prepare_min_images: true,
  prepare_skip_bad: true,
};

/** Every config key, in declared order (arcface-tf2's first, then ours). */
export const CONFIG_KEYS: readonly (keyof TrainConfig)[] = Object.freeze(
  Object.keys(KEY_ORDER) as (keyof TrainConfig)[],
);

/** The augmentation defaults: arcface-tf2's pipeline (resize 128, crop, flip, saturation, brightness). */
export const DEFAULT_AUGMENT: Readonly<AugmentConfig> = Object.freeze({
  resize: 128,
  random_crop: true,
  flip: true,
  saturation: Object.freeze([0.6, 1.4]) as unknown as [number, number],
  brightness: 0.4,
  brightness_scale: "0-255",
  clip: true,
});

/** What `augment: false` means: every step off. */
export const AUGMENT_OFF: Readonly<AugmentConfig> = Object.freeze({
  resize: false,
  random_crop: false,
  flip: false,
  saturation: false,
  brightness: false,
  brightness_scale: "0-255",
  clip: false,
});

/** Defaults of every key except the {@linkcode REQUIRED_KEYS} (deeply frozen). */
export const DEFAULT_CONFIG: Readonly<Omit<TrainConfig, RequiredConfigKey>> = Object.freeze({
  batch_size: 128,
  input_size: 112,
  embd_shape: 512,
  backbone_type: "ResNet50",
  head_type: "ArcHead",
  is_ccrop: false,
  binary_img: true,
  epochs: 5,
  base_lr: 0.01,
  w_decay: 5e-4,
  save_steps: 1000,
  test_dataset: null,
  backend: "auto",
  margin: 0.5,
  logit_scale: 64,
  micro_batch_size: null,
  lr_schedule: "constant",
  lr_steps: Object.freeze([]) as unknown as number[],
  lr_gamma: 0.1,
  lr_end: 0,
  warmup_steps: 0,
  momentum: 0.9,
  nesterov: true,
  weight_decay_scope: "embedding",
  grad_clip_norm: null,
  augment: DEFAULT_AUGMENT as AugmentConfig,
  width: 1.0,
  dropout: 0.5,
  seed: 0,
  train_workers: 1,
  data_workers: 1,
  eval_sets: Object.freeze([]) as unknown as string[],
  eval_interval: 0,
  eval_flip: true,
  max_steps: null,
  max_minutes: null,
  log_steps: 1,
  keep_checkpoints: 3,
  results_dir: "results",
  image_root: null,
  prepare_from: null,
  prepare_min_images: 1,
  prepare_skip_bad: false,
});

/**
 * Keys that may change between a checkpoint and a resumed run without changing the training
 * trajectory (logging, evaluation, budgets, where files go). Caveat: with `lr_schedule: "linear"`
 * the total step count (`epochs`, `max_steps`) sets the decay, so changing them reshapes the rest
 * of the LR curve.
 */
export const RESUME_NEUTRAL_KEYS: readonly (keyof TrainConfig)[] = Object.freeze(
  [
    "backend",
    "eval_sets",
    "eval_interval",
    "eval_flip",
    "log_steps",
    "keep_checkpoints",
    "max_minutes",
    "max_steps",
    "epochs",
    "save_steps",
    "data_workers",
    "results_dir",
    "test_dataset",
    "prepare_from",
    "prepare_min_images",
    "prepare_skip_bad",
  ] as const,
);
