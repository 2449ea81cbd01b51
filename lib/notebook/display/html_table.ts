/**
 * HTML tables for notebooks and reports (with a plain-text rendering for consoles).
 *
 * @module
 */
import { type Displayable, displayable, escapeHtml } from "./displayable.ts";
import { textTable } from "../../format/text_table.ts";

/** A cell value: numbers are formatted by the column's `format`, null shows as a dash. */
export type Cell = string | number | boolean | null | undefined;

/** One column of {@linkcode htmlTable}. */
export interface Column {
  /** The row key. */
  key: string;
  /** Header text (default: the key). */
  label?: string;
  /** Formats a number (default: as is). */
  format?: (value: number) => string;
}

/** Options of {@linkcode htmlTable}. */
export interface TableOptions {
  /** Columns in order (default: the keys of the first row). */
  columns?: (string | Column)[];
  /** A caption above the table. */
  caption?: string;
}

function cellText(v: Cell, col: Column): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number") return col.format ? col.format(v) : String(v);
  return String(v);
}

/** A table of `rows` as an HTML + plain-text bundle. */
export function htmlTable(
  rows: readonly Record<string, Cell>[],
  options: TableOptions = {},
): Displayable {
  const cols: Column[] = (options.columns ?? Object.keys(rows[0] ?? {})).map((c) =>
    typeof c === "string" ? { key: c } : c
  );
  const head = cols.map((c) => `<th>${escapeHtml(c.label ?? c.key)}</th>`).join("");
  const body = rows.map((r) =>
    "<tr>" + cols.map((c) => {
      const v = r[c.key];
      const align = typeof v === "number" ? ' style="text-align:right"' : "";
      return `<td${align}>${escapeHtml(cellText(v, c))}</td>`;
    }).join("") + "</tr>"
  ).join("\n");
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  const html = `<table class="arcface-table">${caption}<thead><tr>${head}</tr></thead>` +
    `<tbody>\n${body}\n</tbody></table>`;
  const texts = rows.map((r) => cols.map((c) => cellText(r[c.key], c)));
  const plain = (options.caption ? options.caption + "\n" : "") +
    textTable(cols.map((c) => c.label ?? c.key), texts);
  return displayable({ "text/html": html, "text/plain": plain });
}

/** Formats a fraction as a percentage with `digits` decimals ("98.22"). */
export function percent(digits = 2): (x: number) => string {
  return (x) => (100 * x).toFixed(digits);
}
