/**
 * An executed notebook as one self-contained HTML page: inline CSS, plotly.js inlined once (only
 * when the notebook has plotly outputs), images as data URLs, nothing loaded from the network.
 *
 * @module
 */
import { escapeHtml } from "../display/displayable.ts";
import {
  isOkStatus,
  type Notebook,
  type NotebookCell,
  parseNotebook,
  type RunInfo,
} from "./notebook_model.ts";
import { REPORT_CSS } from "./page_style.ts";
import { isPlotlyBundle, markdownHtml, mergeStreams, renderOutput } from "./render_output.ts";

/** Raised when a notebook cannot be rendered with the options given. */
export class ReportRenderError extends Error {
  override name = "ReportRenderError";
}

/** Options of {@linkcode renderNotebookHtml}. */
export interface RenderNotebookOptions {
  /** Page title (default: the notebook's `metadata.title`, else its first `#` heading). */
  title?: string;
  /** The plotly.js bundle to inline (see `loadPlotlyJs`); required when there are plots. */
  plotlyJs?: string;
  /** Where the notebook came from (shown in the header), e.g. its path. */
  source?: string;
}

/**
 * The Content-Security-Policy of every page: inline scripts and styles, images from data: and
 * blob: URLs, nothing else (so even a stray external URL in an output is never fetched).
 */
export const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; " +
  "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'";

/** The `<head>` and opening of a page (shared by the index page). */
export function pageStart(title: string, extraHead = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="generator" content="arcface-deno lib/notebook/publish">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
${extraHead}</head>
<body>
`;
}

/** The title a notebook's page gets when none is given. */
export function notebookTitle(nb: Notebook, fallback = "Notebook report"): string {
  if (typeof nb.metadata.title === "string" && nb.metadata.title.trim()) {
    return nb.metadata.title.trim();
  }
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = c.source.match(/^#\s+(.+?)\s*#*\s*$/m);
    if (m) return m[1].replace(/[*_`]/g, "");
  }
  return fallback;
}

function plotlyScript(js: string): string {
  // `</script` cannot appear in an inline script; `<\/` means the same in JS strings and regexes.
  return `<script id="plotly-js">${js.replace(/<\/(script)/gi, "<\\/$1")}</script>\n`;
}

function duration(run: RunInfo): string | undefined {
  if (!run.started || !run.finished) return undefined;
  const ms = Date.parse(run.finished) - Date.parse(run.started);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function cellLabel(nb: Notebook, index: number): string {
  const c = nb.cells[index];
  const count = c?.execution_count;
  return `cell ${index + 1}${count !== null && count !== undefined ? ` (In [${count}])` : ""}`;
}

function header(nb: Notebook, title: string, source: string | undefined): string {
  const run = nb.run;
  const meta: string[] = [];
  if (source) meta.push(`<span>source: <code>${escapeHtml(source)}</code></span>`);
  if (run?.status) {
    const cls = isOkStatus(run.status) ? "ok" : "bad";
    meta.push(`<span>run: <span class="status ${cls}">${escapeHtml(run.status)}</span></span>`);
  } else meta.push(`<span>run: <span class="status">no run record</span></span>`);
  if (run?.started) meta.push(`<span>started ${escapeHtml(run.started)}</span>`);
  if (run?.finished) meta.push(`<span>finished ${escapeHtml(run.finished)}</span>`);
  const took = run && duration(run);
  if (took) meta.push(`<span>took ${took}</span>`);
  let banner = "";
  const errorCells = nb.cells.flatMap((c, i) =>
    c.outputs.some((o) => o.output_type === "error") ? [i] : []
  );
  if (run?.status !== undefined && !isOkStatus(run.status)) {
    const at = run.failed_cell !== undefined
      ? ` at <a href="#cell-${run.failed_cell}">${escapeHtml(cellLabel(nb, run.failed_cell))}</a>`
      : "";
    const why = run.error ? `: ${escapeHtml(run.error)}` : "";
    banner = `<div class="banner" role="alert">This run ${
      escapeHtml(run.status === "failed" ? "failed" : `ended with status '${run.status}'`)
    }${at}${why}. Later cells did not run or show stale output.</div>`;
  } else if (errorCells.length > 0) {
    banner = `<div class="banner warn" role="alert">${errorCells.length} cell(s) raised errors: ${
      errorCells.map((i) => `<a href="#cell-${i}">${escapeHtml(cellLabel(nb, i))}</a>`).join(", ")
    }.</div>`;
  }
  return `<header class="page">
<h1>${escapeHtml(title)}</h1>
<div class="meta">${meta.join("\n")}</div>
${banner}
</header>
`;
}

function markdownWithAttachments(cell: NotebookCell): string {
  let md = cell.source;
  for (const [name, bundle] of Object.entries(cell.attachments)) {
    const mime = Object.keys(bundle).find((m) => m.startsWith("image/"));
    if (!mime) continue;
    const url = `data:${mime};base64,${String(bundle[mime]).replace(/\s+/g, "")}`;
    md = md.split(`attachment:${name}`).join(url);
  }
  return md;
}

function renderCell(nb: Notebook, cell: NotebookCell, index: number): string {
  const failed = nb.run?.failed_cell === index ? " failed" : "";
  const open = `<section class="cell ${cell.cell_type}-cell${failed}" id="cell-${index}">`;
  if (cell.cell_type === "markdown") {
    return `${open}\n${markdownHtml(markdownWithAttachments(cell))}</section>\n`;
  }
  if (cell.cell_type === "raw") {
    return `${open}<pre class="raw">${escapeHtml(cell.source)}</pre></section>\n`;
  }
  const first = cell.source.split("\n").find((l) => l.trim() !== "") ?? "";
  const prompt = cell.execution_count !== null ? `In [${cell.execution_count}]` : "In [ ]";
  const code = cell.source.trim() === ""
    ? ""
    : `<details class="code"><summary>${escapeHtml(`${prompt}: ${first}`)}</summary>` +
      `<pre class="source"><code>${escapeHtml(cell.source)}</code></pre></details>\n`;
  const outputs = mergeStreams(cell.outputs).map((o, j) => renderOutput(o, `plotly-${index}-${j}`));
  return `${open}\n${code}<div class="outputs">\n${outputs.join("\n")}\n</div></section>\n`;
}

/** How many plotly figures a checked notebook shows. */
export function countPlotlyOutputs(nb: Notebook): number {
  return nb.cells.reduce(
    (n, c) => n + c.outputs.filter((o) => "data" in o && isPlotlyBundle(o.data)).length,
    0,
  );
}

/**
 * Renders an executed nbformat 4 notebook (parsed JSON) as one self-contained HTML page.
 * Throws {@linkcode NotebookFormatError} for a malformed notebook and
 * {@linkcode ReportRenderError} when it has plots but `options.plotlyJs` is missing.
 */
export function renderNotebookHtml(notebook: unknown, options: RenderNotebookOptions = {}): string {
  const nb = parseNotebook(notebook, options.source ?? "notebook");
  const plots = countPlotlyOutputs(nb);
  if (plots > 0 && !options.plotlyJs) {
    throw new ReportRenderError(
      `${options.source ?? "notebook"} has ${plots} plotly output(s) but no plotly.js was ` +
        `given; pass options.plotlyJs (e.g. await loadPlotlyJs()).`,
    );
  }
  const title = options.title ?? notebookTitle(nb);
  const head = plots > 0 ? plotlyScript(options.plotlyJs!) : "";
  const cells = nb.cells.map((c, i) => renderCell(nb, c, i)).join("");
  return pageStart(title, head) + header(nb, title, options.source) +
    `<main>\n${cells}</main>\n<footer class="page">Published from an executed notebook; ` +
    `self-contained (no network access).</footer>\n</body>\n</html>\n`;
}
