/**
 * docs/config.md's key tables, generated from {@linkcode CONFIG_SCHEMA} so the docs cannot drift
 * from the declaration: {@linkcode configKeysMarkdown} renders them and
 * {@linkcode withConfigKeysTables} puts them between the marker comments of the docs file
 * (`deno task config-docs` rewrites the file; a test compares).
 *
 * @module
 */
import { ConfigError } from "./config_error.ts";
import type { KeySpec } from "./key_spec.ts";
import { AUGMENT_SCHEMA, CONFIG_SCHEMA } from "./train_config.ts";

/** The comment line before the generated tables. */
export const CONFIG_DOCS_BEGIN =
  "<!-- config-keys:begin: generated from lib/config/config_schema.ts by `deno task config-docs`; edit there -->";

/** The comment line after the generated tables. */
export const CONFIG_DOCS_END = "<!-- config-keys:end -->";

/** A value as the tables show it: strings and lists in backticks, `null`/numbers plain. */
function shownValue(value: unknown): string {
  if (typeof value === "string") return `\`${value}\``;
  if (Array.isArray(value)) return `\`[${value.map((v) => JSON.stringify(v)).join(", ")}]\``;
  return String(value);
}

function defaultCell(spec: KeySpec): string {
  if (spec.kind === "required") return "**required**";
  if (spec.kind === "section") return "see below";
  return shownValue(spec.default);
}

/** A Markdown table with padded columns (as `deno fmt` lays them out). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => c.replace(/\|/g, "\\|")));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(cells[0]),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...cells.slice(1).map(line),
  ].join("\n");
}

/**
 * The generated part of docs/config.md: the table of every top-level key (origin, default,
 * allowed values from the key's rule, resume-neutral flag, meaning) and the `augment` table.
 */
export function configKeysMarkdown(): string {
  const top = table(
    ["key", "origin", "default", "allowed", "resume-neutral", "meaning"],
    Object.entries(CONFIG_SCHEMA).map(([key, s]: [string, KeySpec]) => [
      `\`${key}\``,
      s.origin,
      defaultCell(s),
      s.kind === "section" ? s.expected : s.rule.expected,
      s.resumeNeutral ? "yes" : "",
      s.doc,
    ]),
  );
  const augment = table(
    ["key", "default", "`augment: false`", "allowed", "meaning"],
    Object.entries(AUGMENT_SCHEMA).map(([key, e]) => [
      `\`${key}\``,
      shownValue(e.default),
      shownValue(e.off),
      e.rule.expected,
      e.doc,
    ]),
  );
  return `${top}\n\n\`augment\` (arcface-tf2's \`modules/dataset.py\` pipeline, every step ` +
    `switchable):\n\n${augment}\n`;
}

/**
 * `markdown` (docs/config.md's text) with the part between {@linkcode CONFIG_DOCS_BEGIN} and
 * {@linkcode CONFIG_DOCS_END} replaced by {@linkcode configKeysMarkdown}.
 *
 * @throws {ConfigError} when either marker line is missing (naming `path`).
 */
export function withConfigKeysTables(markdown: string, path = "docs/config.md"): string {
  const begin = markdown.indexOf(CONFIG_DOCS_BEGIN);
  const end = markdown.indexOf(CONFIG_DOCS_END);
  if (begin < 0 || end < begin) {
    throw new ConfigError(
      `${path} has no generated key tables: put the lines ${CONFIG_DOCS_BEGIN} and ` +
        `${CONFIG_DOCS_END} where they belong, then run deno task config-docs`,
      { source: path },
    );
  }
  return markdown.slice(0, begin + CONFIG_DOCS_BEGIN.length) + "\n\n" + configKeysMarkdown() +
    "\n" + markdown.slice(end);
}
