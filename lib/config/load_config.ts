/**
 * {@linkcode loadConfig}: read a YAML config file, follow its `extends` chain, apply overrides,
 * substitute `${DATA_ROOT}` and validate. {@linkcode parseOverride} parses a CLI `--set key=value`.
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parse, parseDocument } from "yaml";
import { DATA_ROOT_ENV_VAR, defaultDataRoot } from "../data/data_root.ts";
import { ConfigError, describeValue } from "./config_error.ts";
import { expandSectionShorthand, isPlainObject, parseConfig } from "./parse_config.ts";
import { CONFIG_KEYS, SECTION_KEYS, type TrainConfig } from "./train_config.ts";

const isSection = (key: string) => (SECTION_KEYS as readonly string[]).includes(key);

/** The placeholder replaced by the data root in every string value. */
export const DATA_ROOT_PLACEHOLDER = "${DATA_ROOT}";

/** Options of {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** Values applied last, over the file chain; keys may be dotted (`"augment.flip"`). */
  overrides?: Readonly<Record<string, unknown>>;
  /**
   * The data root substituted for `${DATA_ROOT}`; default `defaultDataRoot()`
   * (`$ARCFACE_DATA_ROOT`, else `../shared/data`). `null`: none known, so a `${DATA_ROOT}` is an
   * error.
   */
  dataRoot?: string | null;
}

/** A path as shown in messages: relative to the current directory when inside it. */
function shown(abs: string): string {
  const rel = relative(Deno.cwd(), abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}

async function readYamlFile(abs: string, via: string): Promise<Record<string, unknown>> {
  const name = shown(abs);
  let text: string;
  try {
    text = await Deno.readTextFile(abs);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : String(e);
    throw new ConfigError(`cannot read config file ${name}${via}: ${why}; check the path`, {
      source: name,
      cause: e,
    });
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    const msg = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigError(
      `YAML syntax error in ${name}${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}: ` +
        `${msg}; fix the file there`,
      { source: name, cause: err },
    );
  }
  const value = doc.toJS();
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError(
      `config file ${name} must hold a mapping of keys to values (key: value lines), got ${
        describeValue(value)
      }`,
      { source: name },
    );
  }
  return value;
}

/** Merges `over` into `base` (in place): mappings merge key by key, anything else replaces. */
function mergeInto(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  sources: Record<string, string>,
  source: string,
  prefix = "",
): void {
  for (const [key, raw] of Object.entries(over)) {
    const value = prefix === "" ? expandSectionShorthand(key, raw) : raw;
    sources[prefix + key] = source;
    if (isPlainObject(value) && isPlainObject(base[key])) {
      mergeInto(base[key] as Record<string, unknown>, value, sources, source, `${prefix}${key}.`);
    } else {
      base[key] = structuredClone(value);
      if (isPlainObject(value)) {
        for (const k of Object.keys(value)) sources[`${prefix}${key}.${k}`] = source;
      }
    }
  }
}

async function loadChain(
  abs: string,
  chain: string[],
  sources: Record<string, string>,
  via = "",
): Promise<Record<string, unknown>> {
  if (chain.includes(abs)) {
    const cycle = [...chain.slice(chain.indexOf(abs)), abs].map(shown).join(" -> ");
    throw new ConfigError(
      `'extends' cycle: ${cycle}; remove one of these 'extends' lines`,
      { key: "extends", source: shown(chain[chain.length - 1]) },
    );
  }
  const own = await readYamlFile(abs, via);
  const name = shown(abs);
  const ext = own.extends;
  delete own.extends;
  let merged: Record<string, unknown> = {};
  if (ext !== undefined) {
    if (typeof ext !== "string" || ext.length === 0) {
      throw new ConfigError(
        `'extends' in ${name} must be a path (relative to ${name}) to a base config, got ${
          describeValue(ext)
        }`,
        { key: "extends", source: name },
      );
    }
    const baseAbs = resolve(dirname(abs), ext);
    merged = await loadChain(
      baseAbs,
      [...chain, abs],
      sources,
      ` (named by 'extends: ${ext}' in ${name})`,
    );
  }
  mergeInto(merged, own, sources, name);
  return merged;
}

function applyOverride(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
  sources: Record<string, string>,
): void {
  const label = `--set ${key}`;
  const parts = key.split(".");
  if (parts.some((p) => p.length === 0) || parts[0] === "extends") {
    throw new ConfigError(
      `override '${key}' is not a config key; use a key such as 'epochs' or 'augment.flip'`,
      { key, source: label },
    );
  }
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    const next = i === 0 ? expandSectionShorthand(part, node[part] ?? {}) : node[part] ?? {};
    const knownLeaf = i === 0 && !isSection(part) &&
      (CONFIG_KEYS as readonly string[]).includes(part);
    if (knownLeaf || !isPlainObject(next)) {
      const head = parts.slice(0, i + 1).join(".");
      throw new ConfigError(
        `override '${key}': '${head}' is not a section of nested keys; use --set ${head}=<value>`,
        { key, source: label },
      );
    }
    node[part] = next;
    node = next;
  }
  const last = parts[parts.length - 1];
  node[last] = parts.length === 1
    ? structuredClone(expandSectionShorthand(last, value))
    : structuredClone(value);
  sources[key] = label;
  if (isPlainObject(node[last])) {
    for (const k of Object.keys(node[last] as object)) sources[`${key}.${k}`] = label;
  }
}

function substituteDataRoot(
  value: unknown,
  key: string,
  sources: Record<string, string>,
  root: () => string | undefined,
): unknown {
  if (typeof value === "string") {
    if (!value.includes(DATA_ROOT_PLACEHOLDER)) return value;
    const dataRoot = root();
    if (dataRoot === undefined) {
      const source = sources[key] ?? sources[key.replace(/\[\d+\]$/, "")];
      throw new ConfigError(
        `'${key}'${source ? ` in ${source}` : ""} uses ${DATA_ROOT_PLACEHOLDER} but no data ` +
          `root is known: set ${DATA_ROOT_ENV_VAR} to the shared data folder or put the shared ` +
          `data at ../shared/data beside the repository`,
        { key, source },
      );
    }
    return value.split(DATA_ROOT_PLACEHOLDER).join(dataRoot);
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => substituteDataRoot(v, `${key}[${i}]`, sources, root));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = substituteDataRoot(v, key ? `${key}.${k}` : k, sources, root);
    }
    return out;
  }
  return value;
}

/**
 * Loads a YAML training config. `extends: <path>` (relative to the file; chains allowed) names a
 * base whose keys the file overrides (`augment` merges key by key, lists replace);
 * `options.overrides` apply last; `${DATA_ROOT}` in any string becomes the data root
 * (`defaultDataRoot()`). The result is validated by {@linkcode parseConfig}, whose errors name the
 * file (or `--set key`) that set the faulty value.
 *
 * @throws {ConfigError} for an unreadable file, a YAML syntax error (with line and column), an
 * `extends` cycle, a `${DATA_ROOT}` without a data root, or an invalid config.
 */
export async function loadConfig(
  path: string,
  options: LoadConfigOptions = {},
): Promise<TrainConfig> {
  const abs = resolve(path);
  const sources: Record<string, string> = {};
  const merged = await loadChain(abs, [], sources);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    applyOverride(merged, key, value, sources);
  }
  let cached: { root: string | undefined } | undefined;
  const root = () =>
    (cached ??= {
      root: options.dataRoot === undefined ? defaultDataRoot() : options.dataRoot ?? undefined,
    }).root;
  const substituted = substituteDataRoot(merged, "", sources, root);
  return parseConfig(substituted, { source: shown(abs), sources });
}

/**
 * Parses a CLI `--set key=value`: the key may be dotted (`augment.flip`); the value is read as a
 * YAML scalar or flow value (`3` -> 3, `false`, `null`, `[lfw-view1]` -> a list, `abc` -> a
 * string; an empty value is `null`).
 *
 * @throws {ConfigError} when there is no `=`, the key is empty, or the value is not valid YAML.
 */
export function parseOverride(arg: string): [string, unknown] {
  const eq = arg.indexOf("=");
  const key = eq < 0 ? "" : arg.slice(0, eq).trim();
  if (eq < 0 || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(key)) {
    throw new ConfigError(
      `--set expects key=value (e.g. --set epochs=3 or --set augment.flip=false), got '${arg}'`,
      { key: key || undefined, source: "--set" },
    );
  }
  const text = arg.slice(eq + 1);
  try {
    return [key, parse(text)];
  } catch (e) {
    throw new ConfigError(
      `--set ${key}: the value '${text}' is not a valid YAML value (${
        (e as Error).message.split("\n")[0]
      }); quote it, e.g. --set ${key}='"${text}"'`,
      { key, source: `--set ${key}`, cause: e },
    );
  }
}
