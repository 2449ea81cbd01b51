/**
 * Per-key validation rules of {@linkcode TrainConfig}: each rule checks one raw value and
 * returns it typed, or throws a {@linkcode ConfigError} naming the key, the file and the
 * expectation.
 *
 * @module
 */
import { HEAD_NAMES } from "../heads/build_head.ts";
import { BACKBONE_NAMES } from "../models/embedding_model.ts";
import { closestMatch, ConfigError, describeValue } from "./config_error.ts";
import {
  BRIGHTNESS_SCALES,
  CONFIG_BACKEND_NAMES,
  LR_SCHEDULES,
  type TrainConfig,
  WEIGHT_DECAY_SCOPES,
} from "./train_config.ts";

/** Where a value came from: maps a (dotted) key to the file or override that set it. */
export interface Where {
  /** The default source (the top config file), or `undefined` for an in-memory object. */
  source?: string;
  /** Per-key sources (dotted keys, e.g. `augment.flip`), overriding `source`. */
  sources?: Readonly<Record<string, string>>;
}

/** The source of `key` (its own entry, else its top-level section's, else the default). */
export function sourceOf(key: string, where: Where): string | undefined {
  return where.sources?.[key] ?? where.sources?.[key.split(".")[0]] ?? where.source;
}

/** Throws the "must be ..., got ..." error for `key`. */
export function fail(key: string, where: Where, expected: string, value: unknown): never {
  const source = sourceOf(key, where);
  const at = source ? ` in ${source}` : "";
  let hint = "";
  if (typeof value === "string" && expected.startsWith("one of")) {
    const options = expected.slice("one of ".length).split(", ").map((s) => s.replace(/"/g, ""));
    const close = closestMatch(value, options);
    if (close) hint = ` (did you mean "${close}"?)`;
  }
  throw new ConfigError(
    `'${key}'${at} must be ${expected}, got ${describeValue(value)}${hint}`,
    { key, source },
  );
}

/** A rule: checks a raw value and returns it typed. */
export type Rule<T> = (value: unknown, key: string, where: Where) => T;

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** An integer >= `min`. */
export function int(min: number): Rule<number> {
  return (v, key, where) =>
    isNum(v) && Number.isInteger(v) && v >= min ? v : fail(key, where, `an integer >= ${min}`, v);
}

/** A finite number in a range; `lo`/`hi` bounds, each inclusive or not. */
export function num(
  lo: number,
  loIncl: boolean,
  hi = Infinity,
  hiIncl = false,
  text?: string,
): Rule<number> {
  const expected = text ??
    (hi === Infinity
      ? `a number ${loIncl ? ">=" : ">"} ${lo}`
      : `a number in ${loIncl ? "[" : "("}${lo}, ${hi}${hiIncl ? "]" : ")"}`);
  return (v, key, where) =>
    isNum(v) && (loIncl ? v >= lo : v > lo) && (hiIncl ? v <= hi : v < hi)
      ? v
      : fail(key, where, expected, v);
}

/** A boolean. */
export function bool(v: unknown, key: string, where: Where): boolean {
  return typeof v === "boolean" ? v : fail(key, where, "true or false", v);
}

/** A non-empty string. */
export function str(v: unknown, key: string, where: Where): string {
  return typeof v === "string" && v.length > 0 ? v : fail(key, where, "a non-empty string", v);
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(names: readonly T[]): Rule<T> {
  const expected = `one of ${names.map((n) => `"${n}"`).join(", ")}`;
  return (v, key, where) =>
    typeof v === "string" && (names as readonly string[]).includes(v)
      ? v as T
      : fail(key, where, expected, v);
}

/** `rule`, or `null`. */
export function orNull<T>(rule: Rule<T>): Rule<T | null> {
  return (v, key, where) => {
    if (v === null) return null;
    try {
      return rule(v, key, where);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new ConfigError(e.message.replace(" must be ", " must be null or "), {
        key: e.key,
        source: e.source,
      });
    }
  };
}

/** A list whose every item passes `item` (items are named `key[i]`). */
export function listOf<T>(item: Rule<T>, what: string): Rule<T[]> {
  return (v, key, where) => {
    if (!Array.isArray(v)) fail(key, where, `a list of ${what}`, v);
    return v.map((x, i) => item(x, `${key}[${i}]`, where));
  };
}

const subName: Rule<string> = (v, key, where) =>
  typeof v === "string" && /^[A-Za-z0-9._-]+$/.test(v) && v !== "." && v !== ".."
    ? v
    : fail(key, where, "a folder name made of [A-Za-z0-9._-] (not '.' or '..')", v);

const lrSteps: Rule<number[]> = (v, key, where) => {
  const steps = listOf(int(1), "integers >= 1")(v, key, where);
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1]) {
      fail(key, where, "strictly increasing", v);
    }
  }
  return steps;
};

/** Rules of every top-level key except `augment` (checked by `parseAugment`). */
export const FIELD_RULES: { [K in Exclude<keyof TrainConfig, "augment">]: Rule<TrainConfig[K]> } = {
  batch_size: int(1),
  input_size: int(32),
  embd_shape: int(1),
  sub_name: subName,
  backbone_type: oneOf(BACKBONE_NAMES),
  head_type: oneOf(HEAD_NAMES),
  is_ccrop: bool,
  train_dataset: str,
  binary_img: bool,
  num_classes: int(2),
  num_samples: int(1),
  epochs: int(1),
  base_lr: num(0, false),
  w_decay: num(0, true),
  save_steps: int(1),
  test_dataset: orNull(str),
  backend: oneOf(CONFIG_BACKEND_NAMES),
  margin: num(0, true, Math.PI / 2, false, "a number in [0, pi/2) (radians)"),
  logit_scale: num(0, false),
  micro_batch_size: orNull(int(1)),
  lr_schedule: oneOf(LR_SCHEDULES),
  lr_steps: lrSteps,
  lr_gamma: num(0, false, 1, true),
  lr_end: num(0, true),
  warmup_steps: int(0),
  momentum: num(0, true, 1, false),
  nesterov: bool,
  weight_decay_scope: oneOf(WEIGHT_DECAY_SCOPES),
  grad_clip_norm: orNull(num(0, false)),
  width: num(0, false),
  dropout: num(0, true, 1, false),
  seed: int(0),
  train_workers: int(1),
  data_workers: int(1),
  eval_sets: listOf(str, "non-empty strings"),
  eval_interval: int(0),
  eval_flip: bool,
  max_steps: orNull(int(1)),
  max_minutes: orNull(num(0, false)),
  log_steps: int(1),
  keep_checkpoints: int(1),
  results_dir: str,
  image_root: orNull(str),
  prepare_from: orNull(str),
  prepare_min_images: int(1),
  prepare_skip_bad: bool,
};

/** The `brightness_scale` rule (used by the augment parser). */
export const brightnessScale: Rule<(typeof BRIGHTNESS_SCALES)[number]> = oneOf(BRIGHTNESS_SCALES);
