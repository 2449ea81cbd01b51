/**
 * Per-value validation rules of the config keys declared in {@linkcode CONFIG_SCHEMA}: each rule
 * checks one raw value and returns it typed, or throws a {@linkcode ConfigError} naming the key,
 * the file and the expectation. Each rule also carries its expectation as text (`expected`), so
 * error messages and docs/config.md's "allowed" column say the same thing.
 *
 * @module
 */
import { closestMatch, ConfigError, describeValue } from "./config_error.ts";

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

/** A rule: checks a raw value and returns it typed; `expected` says what it accepts. */
export interface Rule<T> {
  (value: unknown, key: string, where: Where): T;
  /** What a valid value is, as messages say it after "must be" (e.g. `an integer >= 1`). */
  readonly expected: string;
}

/** A rule from its expectation and its check. */
export function rule<T>(
  expected: string,
  check: (value: unknown, key: string, where: Where) => T,
): Rule<T> {
  return Object.assign(check, { expected });
}

/** A rule that accepts what `ok` accepts, failing with `expected` otherwise. */
function simple<T>(expected: string, ok: (v: unknown) => boolean): Rule<T> {
  return rule(expected, (v, key, where) => ok(v) ? v as T : fail(key, where, expected, v));
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** An integer >= `min`. */
export function int(min: number): Rule<number> {
  return simple(`an integer >= ${min}`, (v) => isNum(v) && Number.isInteger(v) && v >= min);
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
  return simple(
    expected,
    (v) => isNum(v) && (loIncl ? v >= lo : v > lo) && (hiIncl ? v <= hi : v < hi),
  );
}

/** A boolean. */
export const bool: Rule<boolean> = simple("true or false", (v) => typeof v === "boolean");

/** A non-empty string. */
export const str: Rule<string> = simple(
  "a non-empty string",
  (v) => typeof v === "string" && v.length > 0,
);

/** One of a fixed list of strings (a near miss gets a "did you mean"). */
export function oneOf<T extends string>(names: readonly T[]): Rule<T> {
  return simple(
    `one of ${names.map((n) => `"${n}"`).join(", ")}`,
    (v) => typeof v === "string" && (names as readonly string[]).includes(v),
  );
}

/** `inner`, or `null`. */
export function orNull<T>(inner: Rule<T>): Rule<T | null> {
  return rule(`null or ${inner.expected}`, (v, key, where) => {
    if (v === null) return null;
    try {
      return inner(v, key, where);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new ConfigError(e.message.replace(" must be ", " must be null or "), {
        key: e.key,
        source: e.source,
      });
    }
  });
}

/** A list whose every item passes `item` (items are named `key[i]`). */
export function listOf<T>(item: Rule<T>, what: string): Rule<T[]> {
  return rule(`a list of ${what}`, (v, key, where) => {
    if (!Array.isArray(v)) fail(key, where, `a list of ${what}`, v);
    return v.map((x, i) => item(x, `${key}[${i}]`, where));
  });
}

/** `inner`, or `false` (an augmentation step switched off). */
export function orFalse<T>(inner: Rule<T>): Rule<T | false> {
  const expected = `${inner.expected}, or false`;
  return rule(expected, (v, key, where) => {
    if (v === false) return false;
    try {
      return inner(v, key, where);
    } catch (e) {
      if (!(e instanceof ConfigError) || e.key !== key) throw e;
      return fail(key, where, expected, v);
    }
  });
}

/** A number >= 0, or `false`; `what` names the number in messages. */
export function nonNegativeOrFalse(what: string): Rule<number | false> {
  return simple(
    `a number >= 0 (${what}), or false`,
    (v) => v === false || (isNum(v) && v >= 0),
  );
}

/** A run folder name: `[A-Za-z0-9._-]`, not `.` or `..`. */
export const folderName: Rule<string> = simple(
  "a folder name made of [A-Za-z0-9._-] (not '.' or '..')",
  (v) => typeof v === "string" && /^[A-Za-z0-9._-]+$/.test(v) && v !== "." && v !== "..",
);

/** Strictly increasing integers >= 1 (the step schedule's drop steps). */
export const increasingSteps: Rule<number[]> = rule(
  "a strictly increasing list of integers >= 1",
  (v, key, where) => {
    if (!Array.isArray(v)) fail(key, where, increasingSteps.expected, v);
    const steps = listOf(int(1), "integers >= 1")(v, key, where);
    for (let i = 1; i < steps.length; i++) {
      if (steps[i] <= steps[i - 1]) fail(key, where, "strictly increasing", v);
    }
    return steps;
  },
);

/** A range `[lo, hi]` with 0 <= lo <= hi, or `false`. */
export const rangeOrFalse: Rule<[number, number] | false> = simple(
  "[lo, hi] with 0 <= lo <= hi, or false",
  (v) =>
    v === false ||
    (Array.isArray(v) && v.length === 2 && v.every(isNum) && v[0] >= 0 && v[0] <= v[1]),
);
