/**
 * One code-cell output as HTML: MIME bundles by priority (plotly, HTML, PNG/JPEG, SVG,
 * markdown, JSON, plain text), streams and errors.
 *
 * @module
 */
import { marked } from "marked";
import { escapeHtml, PLOTLY_MIME } from "../display/displayable.ts";
import type { NotebookOutput } from "./notebook_model.ts";

/** The MIME types a report renders, best first; a bundle shows its first one present. */
export const MIME_PRIORITY: readonly string[] = [
  PLOTLY_MIME,
  "text/html",
  "image/png",
  "image/jpeg",
  "image/svg+xml",
  "text/markdown",
  "application/json",
  "text/plain",
];

/** Removes ANSI escape sequences (colours, cursor moves, OSC titles) from terminal text. */
export function stripAnsi(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, "")
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
    // deno-lint-ignore no-control-regex
    .replace(/\x1b[@-Z\\-_]/g, "");
}

/**
 * Terminal text as a reader saw it: ANSI escapes removed, and on each line only what followed
 * the last carriage return (progress bars redraw the line).
 */
export function terminalText(text: string): string {
  return stripAnsi(text).split("\n").map((line) => {
    const body = line.endsWith("\r") ? line.slice(0, -1) : line;
    const i = body.lastIndexOf("\r");
    return i < 0 ? body : body.slice(i + 1);
  }).join("\n");
}

/** JSON that is safe inside an inline `<script>` (no `</script>`, `<!--`, U+2028/9 breaks). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Renders markdown to HTML with `marked` (GitHub-flavoured, synchronous). */
export function markdownHtml(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

/** Whether a bundle will render as a plotly figure. */
export function isPlotlyBundle(data: Record<string, unknown>): boolean {
  return firstMime(data) === PLOTLY_MIME;
}

/** The MIME type of `data` a report shows, or undefined when it has none it knows. */
export function firstMime(data: Record<string, unknown>): string | undefined {
  return MIME_PRIORITY.find((m) => data[m] !== undefined && data[m] !== null);
}

function base64(value: unknown): string {
  return String(value).replace(/\s+/g, "");
}

function plotlyHtml(figure: unknown, id: string): string {
  const f = (typeof figure === "object" && figure !== null ? figure : {}) as Record<
    string,
    unknown
  >;
  const config = {
    ...(typeof f.config === "object" && f.config !== null ? f.config : {}),
    displaylogo: false,
    responsive: true,
  };
  return `<div class="plotly-output" id="${id}"></div>\n<script>Plotly.newPlot(${scriptJson(id)}, ${
    scriptJson(f.data ?? [])
  }, ${scriptJson(f.layout ?? {})}, ${scriptJson(config)});</script>`;
}

/** Renders one MIME bundle; `id` names the element of a plotly figure (unique in the page). */
export function renderBundle(data: Record<string, unknown>, id: string): string {
  const mime = firstMime(data);
  const value = mime === undefined ? undefined : data[mime];
  switch (mime) {
    case PLOTLY_MIME:
      return plotlyHtml(value, id);
    case "text/html":
      return `<div class="html-output">${String(value)}</div>`;
    case "image/png":
    case "image/jpeg":
      return `<div class="image-output"><img alt="output image" src="data:${mime};base64,${
        base64(value)
      }"></div>`;
    case "image/svg+xml":
      return `<div class="svg-output">${String(value)}</div>`;
    case "text/markdown":
      return `<div class="markdown-output">${markdownHtml(String(value))}</div>`;
    case "application/json":
      return `<pre class="json-output">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    case "text/plain":
      return `<pre class="text-output">${escapeHtml(terminalText(String(value)))}</pre>`;
    default: {
      const types = Object.keys(data).join(", ") || "none";
      return `<pre class="text-output unknown">[output of MIME type(s) ${
        escapeHtml(types)
      } not shown]</pre>`;
    }
  }
}

/** Renders one output (stream, display/result, error); `id` as in {@linkcode renderBundle}. */
export function renderOutput(output: NotebookOutput, id: string): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="stream ${output.name === "stderr" ? "stderr" : "stdout"}">${
        escapeHtml(terminalText(output.text))
      }</pre>`;
    case "error": {
      const text = output.traceback.length > 0
        ? output.traceback.join("\n")
        : `${output.ename}: ${output.evalue}`;
      return `<pre class="error">${escapeHtml(terminalText(text))}</pre>`;
    }
    default:
      return renderBundle(output.data, id);
  }
}

/** Merges consecutive stream outputs of the same stream (stdout / stderr), as Jupyter shows them. */
export function mergeStreams(outputs: readonly NotebookOutput[]): NotebookOutput[] {
  const merged: NotebookOutput[] = [];
  for (const o of outputs) {
    const last = merged[merged.length - 1];
    if (
      o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name
    ) {
      merged[merged.length - 1] = { ...last, text: last.text + o.text };
    } else merged.push(o);
  }
  return merged;
}
