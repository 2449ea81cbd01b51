/**
 * The one typed training config ({@linkcode TrainConfig}) and everything derived from the key
 * declarations in {@linkcode CONFIG_SCHEMA}: the type, the key order, the required keys, the
 * defaults, what `augment: false` means, the resume-neutral keys and the notebook's table keys.
 * Keys are snake_case, identical to the YAML. To add or change a key, edit config_schema.ts
 * (or augment_schema.ts) only (then `deno task config-docs` regenerates docs/config.md's tables).
 *
 * @module
 */
import { AUGMENT_SCHEMA, type BRIGHTNESS_SCALES } from "./augment_schema.ts";
import {
  type CONFIG_BACKEND_NAMES,
  CONFIG_SCHEMA,
  type LR_SCHEDULES,
  type WEIGHT_DECAY_SCOPES,
} from "./config_schema.ts";
import type { ConfigValues, RequiredKeysOf, SectionEntry, SectionValues } from "./key_spec.ts";

export { AUGMENT_SCHEMA, BRIGHTNESS_SCALES } from "./augment_schema.ts";
export {
  CONFIG_BACKEND_NAMES,
  CONFIG_SCHEMA,
  LR_SCHEDULES,
  WEIGHT_DECAY_SCOPES,
} from "./config_schema.ts";

/** A backend name as a config spells it. */
export type ConfigBackendName = typeof CONFIG_BACKEND_NAMES[number];

/** A learning-rate schedule name. */
export type LrScheduleName = typeof LR_SCHEDULES[number];

/** A weight-decay scope name. */
export type WeightDecayScope = typeof WEIGHT_DECAY_SCOPES[number];

/** A brightness scale name. */
export type BrightnessScaleName = typeof BRIGHTNESS_SCALES[number];

/** Training-time augmentation (`augment.*`; the keys of {@linkcode AUGMENT_SCHEMA}). */
export type AugmentConfig = SectionValues<typeof AUGMENT_SCHEMA>;

/** The resolved training config: every key of {@linkcode CONFIG_SCHEMA}, defaults filled in. */
export type TrainConfig = ConfigValues<typeof CONFIG_SCHEMA>;

/** A key a config must set. */
export type RequiredConfigKey = RequiredKeysOf<typeof CONFIG_SCHEMA>;

/** Freezes plain objects and arrays all the way down (rules, being functions, are left alone). */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
deepFreeze(AUGMENT_SCHEMA);
deepFreeze(CONFIG_SCHEMA);

type Key = keyof TrainConfig;
const entries = Object.entries(CONFIG_SCHEMA) as [Key, (typeof CONFIG_SCHEMA)[Key]][];

/** Every config key, in declared order (arcface-tf2's first, then ours). */
export const CONFIG_KEYS: readonly Key[] = Object.freeze(entries.map(([k]) => k));

/** Every `augment` key, in declared order. */
export const AUGMENT_KEYS: readonly (keyof AugmentConfig)[] = Object.freeze(
  Object.keys(AUGMENT_SCHEMA) as (keyof AugmentConfig)[],
);

/** Keys a config must set (no default), in declared order. */
export const REQUIRED_KEYS: readonly RequiredConfigKey[] = Object.freeze(
  entries.filter(([, s]) => s.kind === "required").map(([k]) => k as RequiredConfigKey),
);

/** A section's values: each nested key's default, or each one's value when switched off. */
export function sectionValues<S extends Record<string, SectionEntry<unknown>>>(
  keys: S,
  pick: "default" | "off",
): Readonly<SectionValues<S>> {
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(keys)) out[k] = e[pick];
  return Object.freeze(out) as SectionValues<S>;
}

/** The augmentation defaults: arcface-tf2's pipeline (resize 128, crop, flip, saturation, brightness). */
export const DEFAULT_AUGMENT: Readonly<AugmentConfig> = sectionValues(AUGMENT_SCHEMA, "default");

/** What `augment: false` means: every step off. */
export const AUGMENT_OFF: Readonly<AugmentConfig> = sectionValues(AUGMENT_SCHEMA, "off");

/** Defaults of every key except the {@linkcode REQUIRED_KEYS} (deeply frozen). */
export const DEFAULT_CONFIG: Readonly<Omit<TrainConfig, RequiredConfigKey>> = (() => {
  const out: Record<string, unknown> = {};
  for (const [k, s] of entries) {
    if (s.kind === "optional") out[k] = s.default;
    else if (s.kind === "section") out[k] = sectionValues(s.keys, "default");
  }
  return Object.freeze(out) as unknown as Omit<TrainConfig, RequiredConfigKey>;
})();

/**
 * Keys that may change between a checkpoint and a resumed run without changing the training
 * trajectory (logging, evaluation, budgets, where files go): those declared `resumeNeutral`.
 * Caveat: with `lr_schedule: "linear"` the total step count (`epochs`, `max_steps`) sets the
 * decay, so changing them reshapes the rest of the LR curve.
 */
export const RESUME_NEUTRAL_KEYS: readonly Key[] = Object.freeze(
  entries.filter(([, s]) => s.resumeNeutral === true).map(([k]) => k),
);

/** Keys holding a section of nested keys (`augment`), in declared order. */
export const SECTION_KEYS: readonly Key[] = Object.freeze(
  entries.filter(([, s]) => s.kind === "section").map(([k]) => k),
);

/** Keys of the notebooks' hyper-parameter table (declared `notebook`), in declared order. */
export const NOTEBOOK_TABLE_KEYS: readonly Key[] = Object.freeze(
  entries.filter(([, s]) => s.notebook === true).map(([k]) => k),
);
