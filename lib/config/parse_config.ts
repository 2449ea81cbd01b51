/**
 * {@linkcode parseConfig}: validate a raw config object (parsed YAML) and fill in defaults.
 *
 * @module
 */
import { closestMatch, ConfigError, describeValue } from "./config_error.ts";
import { fail, type Rule, sourceOf, type Where } from "./field_rules.ts";
import type { KeySpec, SectionEntry, SectionKey } from "./key_spec.ts";
import {
  CONFIG_KEYS,
  CONFIG_SCHEMA,
  REQUIRED_KEYS,
  sectionValues,
  type TrainConfig,
} from "./train_config.ts";

/** Options of {@linkcode parseConfig}. */
export interface ParseConfigOptions {
  /** Where the object came from (a file path), named in error messages. */
  source?: string;
  /**
   * Per-key sources (dotted keys such as `augment.flip` or top-level keys), for a config merged
   * from several files and overrides: errors name the file that set the faulty value.
   */
  sources?: Readonly<Record<string, string>>;
}

/** True for a plain object (a YAML mapping), not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(key: string, where: Where): string {
  const source = sourceOf(key, where);
  return source ? ` in ${source}` : "";
}

function unknownKey(key: string, known: readonly string[], prefix: string, where: Where): never {
  const full = prefix + key;
  const source = sourceOf(full, where);
  if (key === "extends" && prefix === "") {
    throw new ConfigError(
      `'extends'${at(full, where)} is only understood in config files read by loadConfig; ` +
        `merge the base config first or load the file with loadConfig`,
      { key: full, source },
    );
  }
  const close = closestMatch(key, known);
  const hint = close
    ? ` (did you mean '${prefix + close}'?)`
    : `; remove it (docs/config.md lists the valid keys${
      prefix ? ` of '${prefix.slice(0, -1)}'` : ""
    })`;
  throw new ConfigError(`unknown key '${full}'${at(full, where)}${hint}`, { key: full, source });
}

function checkKnown(
  raw: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  where: Where,
): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) unknownKey(key, known, prefix, where);
  }
}

/**
 * Expands a section's shorthands (`augment: false` -> every step off, `augment: true` -> the
 * defaults) into a full mapping; any other value, or a key that is not a section, is returned as
 * is (a partial mapping merges over the defaults).
 */
export function expandSectionShorthand(key: string, value: unknown): unknown {
  const spec = (CONFIG_SCHEMA as Record<string, KeySpec>)[key];
  if (spec?.kind !== "section" || typeof value !== "boolean") return value;
  return structuredClone(sectionValues(spec.keys, value ? "default" : "off"));
}

/** {@linkcode expandSectionShorthand} of `augment`. */
export function expandAugmentShorthand(value: unknown): unknown {
  return expandSectionShorthand("augment", value);
}

/** A section (`augment`): shorthands expanded, unknown keys refused, each key by its rule. */
function parseSection(
  key: string,
  spec: SectionKey<Record<string, SectionEntry<unknown>>>,
  value: unknown,
  where: Where,
): Record<string, unknown> {
  const raw = expandSectionShorthand(key, value);
  if (!isPlainObject(raw)) fail(key, where, spec.expected, raw);
  const known = Object.keys(spec.keys);
  checkKnown(raw, known, `${key}.`, where);
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(spec.keys)) {
    const v = raw[k] !== undefined ? raw[k] : e.default;
    out[k] = structuredClone(e.rule(v, `${key}.${k}`, where));
  }
  return out;
}

function crossChecks(c: TrainConfig, where: Where): void {
  const bad = (key: string, message: string): never => {
    throw new ConfigError(`'${key}'${at(key, where)} ${message}`, {
      key,
      source: sourceOf(key, where),
    });
  };
  if (c.micro_batch_size !== null && c.micro_batch_size > c.batch_size) {
    bad(
      "micro_batch_size",
      `(${c.micro_batch_size}) must be <= batch_size (${c.batch_size}); lower it or set null`,
    );
  }
  if (c.augment.resize !== false && c.augment.resize < c.input_size) {
    bad(
      "augment.resize",
      `(${c.augment.resize}) must be >= input_size (${c.input_size}), or false for no resize`,
    );
  }
  if (c.lr_schedule === "step" && c.lr_steps.length === 0) {
    bad(
      "lr_steps",
      'is empty but lr_schedule is "step"; list the steps where the LR drops (e.g. ' +
        "[100000, 160000]) or use another lr_schedule",
    );
  }
}

/**
 * Validates a raw config (a parsed YAML mapping, `extends` already resolved) and fills in the
 * defaults declared in {@linkcode CONFIG_SCHEMA}. The result is a fresh object (safe to mutate).
 *
 * @throws {ConfigError} (with `key`) for an unknown key at any level (with a "did you mean"
 * when a known key is close), a wrong type or an out-of-range value, missing required keys (all
 * listed at once), or inconsistent values (micro_batch_size > batch_size, augment.resize <
 * input_size, lr_schedule "step" without lr_steps).
 */
export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): TrainConfig {
  const where: Where = { source: options.source, sources: options.sources };
  if (!isPlainObject(raw)) {
    const src = options.source ? ` in ${options.source}` : "";
    throw new ConfigError(
      `the config${src} must be a mapping of keys to values (key: value lines), got ${
        describeValue(raw)
      }`,
      { source: options.source },
    );
  }
  checkKnown(raw, CONFIG_KEYS, "", where);
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SCHEMA[key];
    const value = raw[key];
    if (spec.kind === "section" && isPlainObject(value)) {
      checkKnown(value, Object.keys(spec.keys), `${key}.`, where);
    }
  }
  const missing = REQUIRED_KEYS.filter((k) => raw[k] === undefined || raw[k] === null);
  if (missing.length > 0) {
    const src = options.source ? ` in ${options.source}` : "";
    throw new ConfigError(
      `missing required key${missing.length > 1 ? "s" : ""} ${
        missing.map((k) => `'${k}'`).join(", ")
      }${src}; add ${missing.length > 1 ? "them" : "it"} to the config (or to a file it extends)`,
      { key: missing[0], source: options.source },
    );
  }
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SCHEMA[key];
    if (spec.kind === "section") {
      out[key] = parseSection(key, spec, raw[key] === undefined ? {} : raw[key], where);
      continue;
    }
    const value = raw[key] !== undefined || spec.kind === "required" ? raw[key] : spec.default;
    out[key] = structuredClone((spec.rule as Rule<unknown>)(value, key, where));
  }
  const config = out as unknown as TrainConfig;
  crossChecks(config, where);
  return config;
}
