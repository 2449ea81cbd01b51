/**
 * The parts of an executed nbformat 4 notebook that the report publisher reads, checked once on
 * the way in so the renderers can trust the shapes.
 *
 * @module
 */

/** Raised when a notebook is not nbformat 4 JSON of the expected shape. */
export class NotebookFormatError extends Error {
  override name = "NotebookFormatError";
}

/** One output of a code cell (nbformat 4). */
export type NotebookOutput =
  | { output_type: "stream"; name: string; text: string }
  | {
    output_type: "display_data" | "execute_result";
    data: Record<string, unknown>;
    execution_count?: number | null;
  }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** One cell (nbformat 4), with its multi-line fields joined into strings. */
export interface NotebookCell {
  /** `code`, `markdown` or `raw`. */
  cell_type: "code" | "markdown" | "raw";
  /** The cell's source text. */
  source: string;
  /** Outputs (code cells only; empty otherwise). */
  outputs: NotebookOutput[];
  /** The execution count of a code cell, when it ran. */
  execution_count: number | null;
  /** Markdown attachments: name -> MIME bundle (base64 data). */
  attachments: Record<string, Record<string, unknown>>;
}

/** The run record a notebook runner leaves in `metadata.arcface_run`. */
export interface RunInfo {
  /** ISO time the run started. */
  started?: string;
  /** ISO time the run finished. */
  finished?: string;
  /** `ok`, `failed`, `timeout`, ... (free text; anything but ok/success counts as not ok). */
  status?: string;
  /** The index (0-based, in `cells`) of the cell that failed, when one did. */
  failed_cell?: number;
  /** The failing cell's error, when the runner recorded one. */
  error?: string;
}

/** A checked notebook. */
export interface Notebook {
  /** The cells in order. */
  cells: NotebookCell[];
  /** The notebook's metadata (as is). */
  metadata: Record<string, unknown>;
  /** The run record, when the notebook has one. */
  run?: RunInfo;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Joins an nbformat multi-line string (a string or a list of lines). */
export function joinText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => String(v)).join("");
  return value === undefined || value === null ? "" : String(value);
}

function parseOutput(o: unknown, where: string): NotebookOutput {
  if (!isRecord(o) || typeof o.output_type !== "string") {
    throw new NotebookFormatError(
      `${where}: an output has no output_type; expected nbformat 4 outputs (stream, ` +
        `display_data, execute_result, error). Re-run the notebook with the notebook runner.`,
    );
  }
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: String(o.name ?? "stdout"), text: joinText(o.text) };
    case "display_data":
    case "execute_result": {
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(isRecord(o.data) ? o.data : {})) {
        data[k] = k.endsWith("json") || k.includes("+json") ? v : joinText(v);
      }
      return {
        output_type: o.output_type,
        data,
        execution_count: typeof o.execution_count === "number" ? o.execution_count : null,
      };
    }
    case "error":
      return {
        output_type: "error",
        ename: String(o.ename ?? "Error"),
        evalue: String(o.evalue ?? ""),
        traceback: Array.isArray(o.traceback) ? o.traceback.map((t) => String(t)) : [],
      };
    default:
      throw new NotebookFormatError(
        `${where}: unknown output_type '${o.output_type}'; expected stream, display_data, ` +
          `execute_result or error (nbformat 4).`,
      );
  }
}

function parseRun(r: unknown): RunInfo | undefined {
  if (!isRecord(r)) return undefined;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  let failed: number | undefined;
  if (typeof r.failed_cell === "number") failed = r.failed_cell;
  else if (isRecord(r.failed_cell) && typeof r.failed_cell.index === "number") {
    failed = r.failed_cell.index;
  }
  const error = str(r.error) ??
    (isRecord(r.failed_cell) ? str(r.failed_cell.error) ?? str(r.failed_cell.ename) : undefined);
  return {
    started: str(r.started),
    finished: str(r.finished),
    status: str(r.status),
    failed_cell: failed,
    error,
  };
}

/**
 * Checks and normalises an nbformat 4 notebook (parsed JSON). `where` names it in errors
 * (e.g. its path).
 */
export function parseNotebook(notebook: unknown, where = "notebook"): Notebook {
  if (!isRecord(notebook) || !Array.isArray(notebook.cells)) {
    throw new NotebookFormatError(
      `${where}: not an nbformat 4 notebook (no 'cells' list); pass the parsed JSON of an ` +
        `.ipynb file.`,
    );
  }
  if (typeof notebook.nbformat === "number" && notebook.nbformat < 4) {
    throw new NotebookFormatError(
      `${where}: nbformat ${notebook.nbformat} is not supported; convert it to nbformat 4 ` +
        `(jupyter nbconvert --to notebook).`,
    );
  }
  const cells = notebook.cells.map((c, i): NotebookCell => {
    const at = `${where}, cell ${i}`;
    if (!isRecord(c) || !["code", "markdown", "raw"].includes(String(c.cell_type))) {
      throw new NotebookFormatError(
        `${at}: cell_type must be code, markdown or raw, got ${
          isRecord(c) ? JSON.stringify(c.cell_type) : typeof c
        }.`,
      );
    }
    const outputs = Array.isArray(c.outputs)
      ? c.outputs.map((o, j) => parseOutput(o, `${at}, output ${j}`))
      : [];
    const attachments: Record<string, Record<string, unknown>> = {};
    if (isRecord(c.attachments)) {
      for (const [k, v] of Object.entries(c.attachments)) if (isRecord(v)) attachments[k] = v;
    }
    return {
      cell_type: c.cell_type as NotebookCell["cell_type"],
      source: joinText(c.source),
      outputs,
      execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
      attachments,
    };
  });
  const metadata = isRecord(notebook.metadata) ? notebook.metadata : {};
  return { cells, metadata, run: parseRun(metadata.arcface_run) };
}

/** Whether a run status means success (`ok`, `success`, `succeeded`, `passed`, `done`). */
export function isOkStatus(status: string | undefined): boolean {
  return status !== undefined && /^(ok|success|succeeded|passed|done|completed)$/i.test(status);
}
