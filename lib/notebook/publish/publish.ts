/**
 * Publishing executed notebooks: one self-contained HTML report per notebook plus an index page,
 * each written atomically (temporary file, then rename).
 *
 * @module
 */
import { writeFileAtomic } from "../../io/atomic_write.ts";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isOkStatus, parseNotebook } from "./notebook_model.ts";
import { type IndexEntry, renderIndexHtml } from "./render_index.ts";
import { countPlotlyOutputs, notebookTitle, renderNotebookHtml } from "./render_notebook.ts";

/** Raised when reports cannot be published (missing input, plotly.js, or a name clash). */
export class ReportPublishError extends Error {
  override name = "ReportPublishError";
}

/** The npm package whose bundle is inlined (scatter, bar and pie traces; log axes). */
export const PLOTLY_PACKAGE = "plotly.js-basic-dist-min";

/**
 * Reads the plotly.js bundle from node_modules (resolved like an import, so it works with
 * Deno's `nodeModulesDir: "manual"` and with npm's own layout).
 */
export async function loadPlotlyJs(): Promise<string> {
  let path: string;
  try {
    path = fileURLToPath(import.meta.resolve(PLOTLY_PACKAGE));
  } catch (e) {
    throw new ReportPublishError(
      `cannot resolve ${PLOTLY_PACKAGE} from lib/notebook/publish (${
        (e as Error).message
      }); install the npm dependencies (npm ci) in the project root.`,
    );
  }
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new ReportPublishError(
      `cannot read plotly.js at ${path} (${(e as Error).message}); reinstall the npm ` +
        `dependencies (npm ci).`,
    );
  }
}

/** Options of {@linkcode publishReports}. */
export interface PublishOptions {
  /** Titles by notebook path (as given) or by name (file name without `.ipynb`). */
  titles?: Record<string, string>;
  /** The plotly.js bundle (default: {@linkcode loadPlotlyJs}, read only when a plot needs it). */
  plotlyJs?: string;
  /** Title of the index page. */
  indexTitle?: string;
}

/** What {@linkcode publishReports} wrote. */
export interface PublishResult {
  /** The report files, in the order of the notebooks. */
  files: string[];
  /** The index page. */
  index: string;
}

function summaryOf(nb: ReturnType<typeof parseNotebook>): string | undefined {
  if (typeof nb.metadata.description === "string") return nb.metadata.description;
  const md = nb.cells.find((c) => c.cell_type === "markdown");
  const line = md?.source.split("\n").map((l) => l.trim())
    .find((l) => l !== "" && !l.startsWith("#") && !l.startsWith("|") && !l.startsWith("!["));
  if (!line) return undefined;
  const plain = line.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*_`]/g, "");
  return plain.length > 160 ? plain.slice(0, 157) + "..." : plain;
}

function statusOf(nb: ReturnType<typeof parseNotebook>): string {
  if (nb.run?.status) return nb.run.status;
  if (nb.cells.some((c) => c.outputs.some((o) => o.output_type === "error"))) return "errors";
  return nb.cells.some((c) => c.execution_count !== null) ? "unknown" : "not run";
}

/**
 * Renders each executed notebook to `<outDir>/<name>.html` and writes `<outDir>/index.html`
 * linking them. Throws {@linkcode ReportPublishError} when a notebook cannot be read or two
 * notebooks share a name, and `NotebookFormatError` for a malformed notebook.
 */
export async function publishReports(
  executedNotebooks: readonly string[],
  outDir: string,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const names = new Map<string, string>();
  for (const path of executedNotebooks) {
    const name = basename(path).replace(/\.ipynb$/i, "");
    const other = names.get(name);
    if (other !== undefined) {
      throw new ReportPublishError(
        `notebooks ${other} and ${path} would both publish ${name}.html; publish them to ` +
          `different --out folders or rename one.`,
      );
    }
    names.set(name, path);
  }
  try {
    await Deno.mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new ReportPublishError(
      `cannot create the output folder ${outDir}: ${(e as Error).message}; ` +
        `give --out a folder (not a file) that can be written.`,
    );
  }
  let plotlyJs = options.plotlyJs;
  const files: string[] = [];
  const entries: IndexEntry[] = [];
  for (const [name, path] of names) {
    let json: unknown;
    try {
      json = JSON.parse(await Deno.readTextFile(path));
    } catch (e) {
      throw new ReportPublishError(
        `cannot read notebook ${path} (${(e as Error).message}); pass executed .ipynb files ` +
          `(e.g. results/notebooks/*.ipynb).`,
      );
    }
    const nb = parseNotebook(json, path);
    const title = options.titles?.[path] ?? options.titles?.[name] ?? notebookTitle(nb, name);
    if (countPlotlyOutputs(nb) > 0 && plotlyJs === undefined) plotlyJs = await loadPlotlyJs();
    const html = renderNotebookHtml(json, { title, plotlyJs, source: path });
    const file = join(outDir, `${name}.html`);
    await writeFileAtomic(file, html);
    files.push(file);
    entries.push({
      title,
      file: `${name}.html`,
      status: statusOf(nb),
      finished: nb.run?.finished,
      summary: summaryOf(nb),
    });
  }
  const index = join(outDir, "index.html");
  const ok = entries.filter((e) => isOkStatus(e.status)).length;
  await writeFileAtomic(
    index,
    renderIndexHtml(entries, {
      title: options.indexTitle,
      subtitle: `${entries.length} report(s), ${ok} run(s) ok; published ${
        new Date().toISOString()
      }`,
    }),
  );
  return { files, index };
}
