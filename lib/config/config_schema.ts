/**
 * Every training-config key, declared once: its rule (type and allowed values), default, origin,
 * one-line doc, and whether it is resume-neutral or shown in the notebooks' config table. The
 * `TrainConfig` type, the defaults, the key order of the saved config.yaml, validation, the
 * resume-neutral set, the notebook table and docs/config.md's key tables are all derived from
 * this table (lib/config/train_config.ts, lib/config/config_docs.ts); the nested `augment.*` keys
 * are declared in lib/config/augment_schema.ts.
 *
 * Why one typed table of this project's rules rather than a schema library (zod, valibot): the
 * rules already give the messages users see ("'epochs' in configs/x.yaml must be an integer >=
 * 1, got "five" (string)", with the file of the `extends` chain or the `--set` that set the
 * value, and a "did you mean"); a library would need an error map to say the same, plus a second
 * description of each rule for the docs, while here each rule carries its own `expected` text.
 * TypeScript infers the config type from the rules, so a default of the wrong type does not
 * compile.
 *
 * Keys are snake_case, identical to the YAML; arcface-tf2's come first, in its order.
 *
 * @module
 */
import { HEAD_NAMES } from "../heads/build_head.ts";
import { BACKBONE_NAMES } from "../models/embedding_model.ts";
import { AUGMENT_SCHEMA } from "./augment_schema.ts";
import {
  bool,
  folderName,
  increasingSteps,
  int,
  listOf,
  num,
  oneOf,
  orNull,
  str,
} from "./field_rules.ts";
import { optional, required, section } from "./key_spec.ts";

/** Backend names a config may ask for (`auto` picks the best available one). */
export const CONFIG_BACKEND_NAMES = [
  "auto",
  "tensorflow",
  "tfjs-node-gpu",
  "tfjs-node",
  "webgpu",
  "native",
  "wasm",
  "cpu",
] as const;

/** Learning-rate schedules. */
export const LR_SCHEDULES = ["constant", "step", "linear"] as const;

/** Which weights get the L2 weight decay `w_decay`. */
export const WEIGHT_DECAY_SCOPES = ["embedding", "all"] as const;

/** Every top-level config key, in declared order (arcface-tf2's first, then ours). */
export const CONFIG_SCHEMA = Object.freeze({
  batch_size: optional(int(1), {
    default: 128,
    origin: "tf2",
    notebook: true,
    doc: "images per optimisation step",
  }),
  input_size: optional(int(32), {
    default: 112,
    origin: "tf2",
    notebook: true,
    doc: "square input side in pixels",
  }),
  embd_shape: optional(int(1), {
    default: 512,
    origin: "tf2",
    notebook: true,
    doc: "embedding size",
  }),
  sub_name: required(folderName, {
    origin: "tf2",
    notebook: true,
    doc: "run name; names the run folder `<results_dir>/<sub_name>`",
  }),
  backbone_type: optional(oneOf(BACKBONE_NAMES), {
    default: "ResNet50",
    origin: "tf2",
    notebook: true,
    doc: "backbone network (`MobileFaceNet` is ours)",
  }),
  head_type: optional(oneOf(HEAD_NAMES), {
    default: "ArcHead",
    origin: "tf2",
    notebook: true,
    doc: "classification head: `ArcHead` or `NormHead` (plain softmax)",
  }),
  is_ccrop: optional(bool, {
    default: false,
    origin: "tf2",
    doc: "centre-crop flag; kept for compatibility, ignored in training (as in arcface-tf2)",
  }),
  train_dataset: required(str, {
    origin: "tf2",
    doc: "training TFRecord: a path, or a glob/prefix of shards",
  }),
  binary_img: optional(bool, {
    default: true,
    origin: "tf2",
    doc: "records hold image bytes (true) or an image path (false)",
  }),
  num_classes: required(int(2), {
    origin: "tf2",
    notebook: true,
    doc: "number of identities = head classes",
  }),
  num_samples: required(int(1), {
    origin: "tf2",
    notebook: true,
    doc: "training images; steps per epoch = `num_samples // batch_size` (at least 1)",
  }),
  epochs: optional(int(1), {
    default: 5,
    origin: "tf2",
    resumeNeutral: true,
    doc: "training epochs",
  }),
  base_lr: optional(num(0, false), {
    default: 0.01,
    origin: "tf2",
    notebook: true,
    doc: "base learning rate",
  }),
  w_decay: optional(num(0, true), {
    default: 5e-4,
    origin: "tf2",
    notebook: true,
    doc: "L2 weight-decay factor; `!!float 5e-4` works",
  }),
  save_steps: optional(int(1), {
    default: 1000,
    origin: "tf2",
    resumeNeutral: true,
    doc: "steps between checkpoints",
  }),
  test_dataset: optional(orNull(str), {
    default: null,
    origin: "tf2",
    resumeNeutral: true,
    doc: "folder of `.bin` verification sets; bare `eval_sets` names like `lfw.bin` resolve in it",
  }),
  backend: optional(oneOf(CONFIG_BACKEND_NAMES), {
    default: "auto",
    origin: "ours",
    resumeNeutral: true,
    doc: "compute backend; `auto` picks the best available one",
  }),
  margin: optional(num(0, true, Math.PI / 2, false, "a number in [0, pi/2) (radians)"), {
    default: 0.5,
    origin: "ours",
    notebook: true,
    doc: "ArcFace angular margin m in radians (arcface-tf2's code default)",
  }),
  logit_scale: optional(num(0, false), {
    default: 64,
    origin: "ours",
    notebook: true,
    doc: "ArcFace logit scale s (arcface-tf2's code default)",
  }),
  micro_batch_size: optional(orNull(int(1)), {
    default: null,
    origin: "ours",
    notebook: true,
    doc: "images per forward/backward pass (gradient accumulation), <= `batch_size`; " +
      "null = `batch_size`",
  }),
  lr_schedule: optional(oneOf(LR_SCHEDULES), {
    default: "constant",
    origin: "ours",
    notebook: true,
    doc: "learning-rate schedule: `constant` (arcface-tf2), `step` or `linear`",
  }),
  lr_steps: optional(increasingSteps, {
    default: [],
    origin: "ours",
    doc: "`step`: steps where the LR is multiplied by `lr_gamma` (required for `step`)",
  }),
  lr_gamma: optional(num(0, false, 1, true), {
    default: 0.1,
    origin: "ours",
    doc: "`step`: LR factor at each of `lr_steps`",
  }),
  lr_end: optional(num(0, true), {
    default: 0,
    origin: "ours",
    doc: "`linear`: LR reached at the last step",
  }),
  warmup_steps: optional(int(0), {
    default: 0,
    origin: "ours",
    doc: "steps of linear warm-up from 0 to `base_lr`",
  }),
  momentum: optional(num(0, true, 1, false), {
    default: 0.9,
    origin: "ours",
    notebook: true,
    doc: "SGD momentum",
  }),
  nesterov: optional(bool, { default: true, origin: "ours", doc: "Nesterov momentum" }),
  weight_decay_scope: optional(oneOf(WEIGHT_DECAY_SCOPES), {
    default: "embedding",
    origin: "ours",
    notebook: true,
    doc: "`embedding`: L2 on the embedding Dense kernel only (arcface-tf2); `all`: every " +
      "trainable weight",
  }),
  grad_clip_norm: optional(orNull(num(0, false)), {
    default: null,
    origin: "ours",
    doc: "clip the global gradient norm to this value; null = no clipping",
  }),
  augment: section(AUGMENT_SCHEMA, {
    origin: "ours",
    expected: "a mapping of augment keys, true (defaults) or false (all off)",
    doc: "training augmentation (see the `augment` table)",
  }),
  width: optional(num(0, false), {
    default: 1.0,
    origin: "ours",
    notebook: true,
    doc: "backbone width multiplier (MobileNetV2 alpha, MobileFaceNet width)",
  }),
  dropout: optional(num(0, true, 1, false), {
    default: 0.5,
    origin: "ours",
    doc: "output-layer dropout rate",
  }),
  init_from: optional(orNull(str), {
    default: null,
    origin: "ours",
    doc: "start a new run from a TF2 checkpoint of arcface-tf2's layout (`x.ckpt`, its folder, " +
      "a SavedModel; e.g. from `export-ckpt`): backbone + output layer (not on resume)",
  }),
  init_head: optional(bool, {
    default: false,
    origin: "ours",
    doc: "with `init_from`: also start the ArcHead from the checkpoint's (it must have one of " +
      "[embd_shape, num_classes])",
  }),
  seed: optional(int(0), {
    default: 0,
    origin: "ours",
    doc: "seed of weight initialisation, shuffling and augmentation",
  }),
  train_workers: optional(int(1), {
    default: 1,
    origin: "ours",
    notebook: true,
    doc: "data-parallel training replicas, one core each",
  }),
  data_workers: optional(int(1), {
    default: 1,
    origin: "ours",
    resumeNeutral: true,
    doc: "data-loading workers",
  }),
  eval_sets: optional(listOf(str, "non-empty strings"), {
    default: [],
    origin: "ours",
    resumeNeutral: true,
    notebook: true,
    doc: "verification sets: names like `lfw-view1`, a `.bin` path, a file name inside " +
      "`test_dataset`, or `folder:pairs.txt`",
  }),
  eval_interval: optional(int(0), {
    default: 0,
    origin: "ours",
    resumeNeutral: true,
    doc: "steps between evaluations; 0 = only at the end",
  }),
  eval_flip: optional(bool, {
    default: true,
    origin: "ours",
    resumeNeutral: true,
    doc: "add the flipped image's embedding at evaluation (the standard protocol)",
  }),
  max_steps: optional(orNull(int(1)), {
    default: null,
    origin: "ours",
    resumeNeutral: true,
    notebook: true,
    doc: "cap on the total step count; null = no cap",
  }),
  max_minutes: optional(orNull(num(0, false)), {
    default: null,
    origin: "ours",
    resumeNeutral: true,
    notebook: true,
    doc: "wall-clock budget in minutes; training stops cleanly with a checkpoint",
  }),
  log_steps: optional(int(1), {
    default: 1,
    origin: "ours",
    resumeNeutral: true,
    doc: "steps between log lines",
  }),
  keep_checkpoints: optional(int(1), {
    default: 3,
    origin: "ours",
    resumeNeutral: true,
    doc: "checkpoints kept on disk",
  }),
  results_dir: optional(str, {
    default: "results",
    origin: "ours",
    resumeNeutral: true,
    doc: "folder of run folders",
  }),
  image_root: optional(orNull(str), {
    default: null,
    origin: "ours",
    doc: "base of relative paths in path-schema records",
  }),
  prepare_from: optional(orNull(str), {
    default: null,
    origin: "ours",
    resumeNeutral: true,
    doc: "a source converted into `train_dataset` when that file does not exist yet",
  }),
  prepare_min_images: optional(int(1), {
    default: 1,
    origin: "ours",
    resumeNeutral: true,
    doc: "with `prepare_from`: leave out identities with fewer images (1 = keep all)",
  }),
  prepare_skip_bad: optional(bool, {
    default: false,
    origin: "ours",
    resumeNeutral: true,
    doc: "with `prepare_from`: skip (and list) non-image files and bad images instead of failing",
  }),
});
