/**
 * Notebook hygiene: Deno's own checker and linter do not read .ipynb, so the code cells of a
 * notebook are extracted into one TypeScript module (cells share one scope in the kernel, as
 * they do in a module) that `deno check` and `deno lint` can read. Also checks that a committed
 * notebook carries no outputs.
 *
 * @module
 */

/** Raised for a notebook that is not valid nbformat 4 JSON. */
export class NotebookCellsError extends Error {
  override name = "NotebookCellsError";
}

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

function cellsOf(json: unknown, file: string): Cell[] {
  const nb = json as { nbformat?: number; cells?: Cell[] };
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new NotebookCellsError(`${file} is not an nbformat 4 notebook (no 'cells' list)`);
  }
  return nb.cells;
}

const text = (s: string | string[]) => (Array.isArray(s) ? s.join("") : s);

/**
 * The code cells of a notebook as one module. `rewriteImport` maps each relative import
 * specifier (the extracted file lives elsewhere than the notebook). Each cell is preceded by
 * a `// cell N` comment so errors point back to the cell.
 */
export function extractCode(
  json: unknown,
  options: { file?: string; rewriteImport?: (spec: string) => string } = {},
): string {
  const cells = cellsOf(json, options.file ?? "notebook");
  const rewrite = options.rewriteImport ?? ((s: string) => s);
  const parts: string[] = [];
  cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const src = text(c.source).replace(
      /(from\s+|import\s*\(\s*)(["'])(\.{1,2}\/[^"']+)\2/g,
      (_m, pre, q, spec) => `${pre}${q}${rewrite(spec)}${q}`,
    );
    // A cell's last expression is displayed by the kernel; in a module it is an unused value.
    parts.push(`// cell ${i + 1}\n${src}\n`);
  });
  return parts.join("\n") + "\nexport {};\n";
}

/** The cells (1-based numbers) of a notebook that carry outputs or an execution count. */
export function cellsWithOutputs(json: unknown, file = "notebook"): number[] {
  return cellsOf(json, file).flatMap((c, i) =>
    c.cell_type === "code" && ((c.outputs?.length ?? 0) > 0 || c.execution_count != null)
      ? [i + 1]
      : []
  );
}
