/**
 * The plain-text (Markdown pipe) table printer, the one place for it: CLI result tables and the
 * text/plain side of notebook tables.
 *
 * @module
 */

/**
 * Renders `header` and `rows` (already-formatted cells, one string per column) as a Markdown
 * pipe table with columns padded to their widest cell: `| a   | b |`, `|-----|---|`, rows.
 * Lines are joined with "\n", no trailing newline.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  return [
    line(header),
    "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|",
    ...rows.map(line),
  ].join("\n");
}
