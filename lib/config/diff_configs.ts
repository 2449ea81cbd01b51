/**
 * {@linkcode diffConfigs}: which keys differ between two configs (e.g. a checkpoint's and a
 * resumed run's).
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { isPlainObject } from "./parse_config.ts";
import type { TrainConfig } from "./train_config.ts";

/** One difference: a flat dotted key and its value in each config. */
export interface ConfigDifference {
  /** Dotted key, e.g. `"epochs"` or `"augment.flip"`. */
  key: string;
  /** The value in the first config. */
  a: unknown;
  /** The value in the second config. */
  b: unknown;
}

/** Options of {@linkcode diffConfigs}. */
export interface DiffConfigsOptions {
  /** Keys to leave out (top-level or dotted; a section name leaves out all of its keys). */
  ignore?: readonly string[];
}

function walk(
  a: unknown,
  b: unknown,
  prefix: string,
  ignore: readonly string[],
  out: ConfigDifference[],
): void {
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
  for (const k of keys) {
    const key = prefix + k;
    if (ignore.includes(key)) continue;
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    if (isPlainObject(va) && isPlainObject(vb)) {
      walk(va, vb, `${key}.`, ignore, out);
    } else if (!isDeepStrictEqual(va, vb)) {
      out.push({ key, a: va, b: vb });
    }
  }
}

/**
 * The keys whose values differ between `a` and `b`, as flat dotted keys (`augment.flip`) in `a`'s
 * key order; lists and other values are compared deeply.
 */
export function diffConfigs(
  a: TrainConfig,
  b: TrainConfig,
  options: DiffConfigsOptions = {},
): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  walk(a, b, "", options.ignore ?? [], out);
  return out;
}
