/**
 * The Deno kernel answers a cell that does not parse with only `Error: Execution failed`. The
 * runner then parses the failing cell itself (`deno fmt`, which only parses) to say which
 * SyntaxError, on which line of the cell.
 *
 * @module
 */

/** Strips ANSI colour codes. */
function plain(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}

/**
 * The SyntaxError of TypeScript cell `source` as one line, e.g.
 * `SyntaxError: Expected ',', got ';' at line 2, column 11: let b = (2;`, or null when the
 * source parses (or the parser cannot be run).
 */
export async function cellSyntaxError(source: string): Promise<string | null> {
  let out;
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext=ts", "-"],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(source));
    await w.close();
    out = await child.output();
  } catch {
    return null;
  }
  if (out.success) return null;
  const text = plain(new TextDecoder().decode(out.stderr));
  const m = /(SyntaxError|error): ([^\n]+)[\s\S]*?:(\d+):(\d+)/.exec(text);
  if (!m) return null;
  const line = Number(m[3]), col = Number(m[4]);
  const code = source.split("\n")[line - 1]?.trim() ?? "";
  const what = m[2].replace(/^SyntaxError: /, "");
  return `SyntaxError: ${what} at line ${line}, column ${col} of the cell: ${code}`;
}

/** Whether a kernel's error text is the generic one that hides a parse error. */
export function isGenericKernelError(message: string): boolean {
  return /Execution failed/i.test(message);
}

/** The source of code cell `n` (1-based, markdown cells not counted) of a notebook JSON. */
export function codeCellSource(notebook: unknown, n: number): string | null {
  const cells = (notebook as { cells?: { cell_type?: string; source?: string | string[] }[] })
    ?.cells;
  if (!Array.isArray(cells)) return null;
  const cell = cells.filter((c) => c?.cell_type === "code")[n - 1];
  if (!cell) return null;
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "";
}
