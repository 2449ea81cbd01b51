/**
 * The index page that links the published notebook reports.
 *
 * @module
 */
import { escapeHtml } from "../display/displayable.ts";
import { isOkStatus } from "./notebook_model.ts";
import { pageStart } from "./render_notebook.ts";

/** One report on the index page. */
export interface IndexEntry {
  /** The report's title. */
  title: string;
  /** The report's file, relative to the index page (e.g. `0_baseline.html`). */
  file: string;
  /** The run status (`ok`, `failed`, `not run`, ...). */
  status: string;
  /** When the run finished (ISO time), when known. */
  finished?: string;
  /** One line about the report. */
  summary?: string;
}

/** Options of {@linkcode renderIndexHtml}. */
export interface RenderIndexOptions {
  /** Page title (default "Notebook reports"). */
  title?: string;
  /** A line under the title (e.g. when the reports were published). */
  subtitle?: string;
}

function hrefOf(file: string): string {
  // Relative links only: each path segment percent-encoded, so odd names still resolve.
  return file.split("/").map((s) => encodeURIComponent(s)).join("/");
}

/** Renders the index page of the reports (a table: title link, status, finished, summary). */
export function renderIndexHtml(
  entries: readonly IndexEntry[],
  options: RenderIndexOptions = {},
): string {
  const title = options.title ?? "Notebook reports";
  const rows = entries.map((e) => {
    const cls = isOkStatus(e.status) ? "ok" : /not run|unknown/i.test(e.status) ? "" : "bad";
    return `<tr><td><a href="${escapeHtml(hrefOf(e.file))}">${escapeHtml(e.title)}</a></td>` +
      `<td><span class="status${cls ? ` ${cls}` : ""}">${escapeHtml(e.status)}</span></td>` +
      `<td>${escapeHtml(e.finished ?? "–")}</td>` +
      `<td>${escapeHtml(e.summary ?? "")}</td></tr>`;
  }).join("\n");
  const failed = entries.filter((e) => !isOkStatus(e.status) && !/not run|unknown/i.test(e.status));
  const banner = failed.length > 0
    ? `<div class="banner" role="alert">${failed.length} of ${entries.length} notebook run(s) ` +
      `did not succeed: ${failed.map((e) => escapeHtml(e.title)).join(", ")}.</div>`
    : "";
  const body = entries.length === 0
    ? "<p>No reports were published.</p>"
    : `<table class="index"><thead><tr><th>report</th><th>run</th><th>finished</th>` +
      `<th>summary</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table>`;
  return pageStart(title) + `<header class="page">
<h1>${escapeHtml(title)}</h1>
${options.subtitle ? `<div class="meta">${escapeHtml(options.subtitle)}</div>` : ""}
${banner}
</header>
<main>
${body}
</main>
</body>
</html>
`;
}
