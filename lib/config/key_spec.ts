/**
 * The shape of one config key's declaration in {@linkcode CONFIG_SCHEMA} ({@linkcode KeySpec}),
 * the helpers that declare one ({@linkcode optional}, {@linkcode required}, {@linkcode section})
 * and the type-level derivation of the config's TypeScript type from a table of them
 * ({@linkcode ConfigValues}).
 *
 * @module
 */
import type { Rule } from "./field_rules.ts";

/** Where a key comes from: arcface-tf2's YAML (same meaning and default) or this project. */
export type KeyOrigin = "tf2" | "ours";

/** What every key declaration says, besides its rule and default. */
export interface KeyInfo {
  /** One line for docs/config.md and the notebook's config table (what the key means). */
  readonly doc: string;
  /** arcface-tf2's key or ours. */
  readonly origin: KeyOrigin;
  /**
   * May change between a checkpoint and a resumed run without changing the training trajectory
   * (logging, evaluation, budgets, where files go); see `RESUME_NEUTRAL_KEYS`.
   */
  readonly resumeNeutral?: boolean;
  /** Shown in the notebooks' table of the hyper-parameters a section trains with. */
  readonly notebook?: boolean;
}

/** A key with a default value. */
export interface OptionalKey<T> extends KeyInfo {
  readonly kind: "optional";
  /** Checks a raw value; its `expected` text is the "allowed" column of docs/config.md. */
  readonly rule: Rule<T>;
  /** The value when the config leaves the key out. */
  readonly default: T;
}

/** A key every config must set (no default). */
export interface RequiredKey<T> extends KeyInfo {
  readonly kind: "required";
  /** Checks a raw value. */
  readonly rule: Rule<T>;
}

/** A key inside a switchable section (`augment.*`): a default and the value when switched off. */
export interface SectionEntry<T> {
  /** Checks a raw value. */
  readonly rule: Rule<T>;
  /** The value when the config leaves the key out (also what `<section>: true` means). */
  readonly default: T;
  /** The value under `<section>: false` (every step off). */
  readonly off: T;
  /** One line for docs/config.md. */
  readonly doc: string;
}

/** A mapping of nested keys (`augment`): `true` means the defaults, `false` every entry off. */
export interface SectionKey<S extends Record<string, SectionEntry<unknown>>> extends KeyInfo {
  readonly kind: "section";
  /** The nested keys, in declared order. */
  readonly keys: S;
  /** What a valid value is, as error messages say it. */
  readonly expected: string;
}

/** Any key declaration. */
export type KeySpec =
  | OptionalKey<unknown>
  | RequiredKey<unknown>
  | SectionKey<Record<string, SectionEntry<unknown>>>;

/** The typed value of one section's nested keys. */
export type SectionValues<S extends Record<string, SectionEntry<unknown>>> = {
  -readonly [K in keyof S]: S[K] extends SectionEntry<infer T> ? T : never;
};

/** The typed value of one key declaration. */
export type KeyValue<K> = K extends OptionalKey<infer T> ? T
  : K extends RequiredKey<infer T> ? T
  : K extends SectionKey<infer S> ? SectionValues<S>
  : never;

/** The config type a table of key declarations describes: every key, typed by its rule. */
export type ConfigValues<S extends Record<string, KeySpec>> = {
  -readonly [K in keyof S]: KeyValue<S[K]>;
};

/** The names of the required keys of a table. */
export type RequiredKeysOf<S extends Record<string, KeySpec>> = {
  [K in keyof S]: S[K] extends RequiredKey<unknown> ? K : never;
}[keyof S];

/** Declares a key with a default (typed by the rule: a wrong default does not compile). */
export function optional<T>(
  rule: Rule<T>,
  spec: KeyInfo & { readonly default: NoInfer<T> },
): OptionalKey<T> {
  return { kind: "optional", rule, ...spec };
}

/** Declares a key every config must set. */
export function required<T>(rule: Rule<T>, spec: KeyInfo): RequiredKey<T> {
  return { kind: "required", rule, ...spec };
}

/** Declares one nested key of a section (typed by the rule). */
export function entry<T>(
  rule: Rule<T>,
  spec: { readonly default: NoInfer<T>; readonly off: NoInfer<T>; readonly doc: string },
): SectionEntry<T> {
  return { rule, ...spec };
}

/** Declares a section of nested keys. */
export function section<S extends Record<string, SectionEntry<unknown>>>(
  keys: S,
  spec: KeyInfo & { readonly expected: string },
): SectionKey<S> {
  return { kind: "section", keys, ...spec };
}
