/**
 * The shared scaffold of every CLI in cli/: strict option parsing and one way to end.
 *
 * - `--help` / `-h` prints the usage and exits 0.
 * - A usage problem (unknown option, missing or extra argument, bad value) prints one line
 *   `<cmd>: <what>`, then the usage, and exits 2 ({@linkcode UsageError}).
 * - A typed error (an Error subclass the project defines: ConfigError, TFRecordError, ...)
 *   prints `<cmd>: <message>` and exits 1.
 * - Anything else prints `<cmd>: failed: <message>` plus a hint, and exits 1; the stack trace
 *   only with `ARCFACE_DEBUG=1`. Unhandled rejections and uncaught errors (e.g. a Worker's
 *   ErrorEvent reaching the main thread) end the same way, never as a raw "Uncaught" trace.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** A bad command line: printed as one line plus the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Options of a CLI, in `node:util` parseArgs form (`--help`/`-h` is added by {@linkcode parseCli}). */
export type CliOptions = Record<
  string,
  {
    type: "string" | "boolean";
    short?: string;
    multiple?: boolean;
    default?: string | boolean | string[];
  }
>;

/** What {@linkcode parseCli} checks beyond the options. */
export interface ParseCliOptions {
  /** Fewest positional arguments (default 0). */
  minPositionals?: number;
  /** Most positional arguments (default 0; `Infinity` for any number). */
  maxPositionals?: number;
  /** What the positionals are, for the message when their count is wrong (e.g. "<input> <output>"). */
  positionalsHint?: string;
}

/** Option values as node's parseArgs types them for `T` (absent: not given and no default). */
export type CliValues<T extends CliOptions> = ReturnType<
  typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>
>["values"];

/** Parsed command line: option values by name (strings, booleans, string lists) and positionals. */
export interface ParsedCli<T extends CliOptions = CliOptions> {
  /** Option values (absent when not given and without a default). */
  values: CliValues<T>;
  /** Positional arguments. */
  positionals: string[];
  /** Whether `--help` / `-h` was given. */
  help: boolean;
}

/** Rewrites node's parseArgs messages into one short line that names the option. */
function parseArgsMessage(e: Error): string {
  const m = e.message;
  let r = /Unknown option '([^']+)'/.exec(m);
  if (r) return `unknown option '${r[1]}'`;
  r = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(m);
  if (r) return `option '${r[1]}' needs a value`;
  r = /Option '(?:-\w, )?(--[^ ']+)[^']*' does not take an argument/.exec(m);
  if (r) return `option '${r[1]}' does not take a value`;
  r = /Unexpected argument '([^']+)'/.exec(m);
  if (r) return `unexpected argument '${r[1]}'`;
  return m.split("\n")[0];
}

/**
 * Parses `args` strictly against `options` (plus `--help`/`-h`); throws {@linkcode UsageError}
 * for an unknown option, a missing value, or a wrong number of positionals (unless `--help`).
 */
export function parseCli<T extends CliOptions>(
  args: string[],
  options: T,
  check: ParseCliOptions = {},
): ParsedCli<T> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    // With --help anywhere, help wins over any other problem of the line.
    if (args.includes("--help") || args.includes("-h")) {
      return { values: {} as CliValues<T>, positionals: [], help: true };
    }
    throw new UsageError(parseArgsMessage(e as Error));
  }
  const all = parsed.values as Record<string, unknown>;
  const help = all.help === true;
  delete all.help;
  const values = all as CliValues<T>;
  const positionals = parsed.positionals;
  if (!help) {
    const min = check.minPositionals ?? 0, max = check.maxPositionals ?? 0;
    if (positionals.length > max && max === 0) {
      throw new UsageError(`unexpected argument '${positionals[0]}'`);
    }
    if (positionals.length < min || positionals.length > max) {
      const hint = check.positionalsHint ? `expected ${check.positionalsHint}, ` : "";
      throw new UsageError(`${hint}got ${positionals.length} argument(s)`);
    }
  }
  return { values, positionals, help };
}

/** Options of {@linkcode intOption} / {@linkcode numberOption}. */
export interface NumberOptionRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Whether `min` itself is excluded (e.g. seconds > 0). */
  exclusiveMin?: boolean;
}

function checkNumber(name: string, value: string, n: number, rule: NumberOptionRule, kind: string) {
  const { min, max, exclusiveMin } = rule;
  const bad = value.trim() === "" || !Number.isFinite(n) ||
    (kind === "an integer" && !Number.isInteger(n)) ||
    (min !== undefined && (exclusiveMin ? n <= min : n < min)) ||
    (max !== undefined && n > max);
  if (bad) {
    const range = [
      min !== undefined ? `${exclusiveMin ? ">" : ">="} ${min}` : "",
      max !== undefined ? `<= ${max}` : "",
    ].filter(Boolean).join(" and ");
    throw new UsageError(`--${name} must be ${kind}${range ? ` ${range}` : ""}, got '${value}'`);
  }
}

/** Parses an integer option value (undefined stays undefined); throws {@linkcode UsageError}. */
export function intOption(
  name: string,
  value: string | boolean | string[] | undefined,
  rule: NumberOptionRule = {},
): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const n = Number(s);
  checkNumber(name, s, n, rule, "an integer");
  return n;
}

/** Parses a number option value (undefined stays undefined); throws {@linkcode UsageError}. */
export function numberOption(
  name: string,
  value: string | boolean | string[] | undefined,
  rule: NumberOptionRule = {},
): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const n = Number(s);
  checkNumber(name, s, n, rule, "a number");
  return n;
}

const BUILTIN_ERRORS = new Set([
  "Error",
  "TypeError",
  "RangeError",
  "SyntaxError",
  "ReferenceError",
  "EvalError",
  "URIError",
  "AggregateError",
]);

/** Whether `e` is one of the project's typed errors (not a JS built-in, not a raw OS error). */
export function isTypedError(e: unknown): e is Error {
  if (!(e instanceof Error) || BUILTIN_ERRORS.has(e.name)) return false;
  for (const c of Object.values(Deno.errors)) {
    if (typeof c === "function" && e instanceof c) return false;
  }
  return e.name !== "" && e.name !== "DOMException";
}

/** The text printed for a failure (one line unless ARCFACE_DEBUG=1 adds the stack). */
export function failureText(name: string, e: unknown, debug = false): string {
  const err = e instanceof Error
    ? e
    : typeof ErrorEvent !== "undefined" && e instanceof ErrorEvent
    ? new Error(`${e.message}${e.filename ? ` (${e.filename}:${e.lineno})` : ""}`)
    : new Error(String(e));
  const msg = err.message || String(err.name);
  const head = isTypedError(err) ? `${name}: ${msg}` : `${name}: failed: ${msg}` +
    (debug ? "" : `\n${name}: set ARCFACE_DEBUG=1 for the stack trace`);
  return debug && err.stack ? `${head}\n${err.stack}` : head;
}

/** Options of {@linkcode guardCli} and {@linkcode runCli}. */
export interface CliGuardOptions {
  /** Called once before a failure is printed (e.g. to clear a status line). */
  beforeExit?: () => void;
}

/**
 * Makes every way a CLI can fail end as the module doc says: installs handlers for unhandled
 * rejections (a throw in top-level code is one) and uncaught errors (a Worker's ErrorEvent),
 * and returns the function that ends the process for an error (`end(e)`), for explicit use.
 */
export function guardCli(
  name: string,
  usage: string,
  options: CliGuardOptions = {},
): (e: unknown) => never {
  const debug = Deno.env.get("ARCFACE_DEBUG") === "1";
  let ended = false;
  const end = (e: unknown): never => {
    if (!ended) {
      ended = true;
      if (e instanceof HelpRequested) {
        console.log(usage);
        Deno.exit(0);
      }
      try {
        options.beforeExit?.();
      } catch {
        // Never let the cleanup hide the failure.
      }
      if (e instanceof UsageError) {
        console.error(`${name}: ${e.message}\n\n${usage}`);
        Deno.exit(2);
      }
      console.error(failureText(name, e, debug));
    }
    Deno.exit(1);
  };
  globalThis.addEventListener("unhandledrejection", (ev) => {
    ev.preventDefault();
    end(ev.reason);
  });
  globalThis.addEventListener("error", (ev) => {
    ev.preventDefault();
    // A Worker's uncaught error arrives as an ErrorEvent without `error`: keep its message.
    end(
      ev.error ?? new Error(`${ev.message}${ev.filename ? ` (${ev.filename}:${ev.lineno})` : ""}`),
    );
  });
  return end;
}

/**
 * Runs a CLI's `main` under {@linkcode guardCli}: `main` receives the arguments; `--help`
 * (see {@linkcode parseCliOrHelp}) prints `usage`; failures end as the module doc says.
 */
export async function runCli(
  name: string,
  usage: string,
  main: (args: string[]) => Promise<void> | void,
  options: CliGuardOptions & { args?: string[] } = {},
): Promise<void> {
  const end = guardCli(name, usage, options);
  try {
    await main(options.args ?? Deno.args);
  } catch (e) {
    end(e);
  }
}

/** Thrown by {@linkcode showHelp}: `runCli` prints the usage and exits 0. */
class HelpRequested extends Error {
  override name = "HelpRequested";
}

/** Ends the CLI with its usage on stdout and exit code 0 (call it when `parsed.help`). */
export function showHelp(): never {
  throw new HelpRequested("help");
}

/** Parses like {@linkcode parseCli}, and ends with the usage (exit 0) on `--help`. */
export function parseCliOrHelp<T extends CliOptions>(
  args: string[],
  options: T,
  check: ParseCliOptions = {},
): ParsedCli<T> {
  const parsed = parseCli(args, options, check);
  if (parsed.help) showHelp();
  return parsed;
}
