/**
 * The inline stylesheet of the published reports and their index (system fonts only: nothing is
 * loaded from anywhere).
 *
 * @module
 */

/** CSS shared by report pages and the index page. */
export const REPORT_CSS = `
:root {
  --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --bg-soft: #f6f8fa;
  --accent: #0969da; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700;
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main, header.page { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
main { padding-top: 12px; }
header.page { padding-top: 24px; padding-bottom: 12px; border-bottom: 1px solid var(--border); }
header.page h1 { margin: 0 0 6px; font-size: 1.7em; }
.meta { color: var(--muted); font-size: 0.9em; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.meta a { color: var(--accent); }
.banner {
  margin: 14px 0 0; padding: 10px 14px; border-radius: 6px; font-weight: 600;
  background: #ffebe9; border: 1px solid #ff818266; color: var(--bad);
}
.banner a { color: inherit; }
.banner.warn { background: #fff8c5; border-color: #d4a72c66; color: var(--warn); }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.85em;
  font-weight: 600; background: var(--bg-soft); border: 1px solid var(--border); }
.status.ok { color: var(--ok); border-color: #1a7f3755; background: #dafbe1; }
.status.bad { color: var(--bad); border-color: #cf222e55; background: #ffebe9; }
.cell { margin: 18px 0; }
.cell.failed { border-left: 4px solid var(--bad); padding-left: 10px; }
.markdown-cell h1, .markdown-cell h2, .markdown-cell h3 { margin: 1.2em 0 0.4em; line-height: 1.25; }
.markdown-cell h1 { font-size: 1.5em; border-bottom: 1px solid var(--border); padding-bottom: 4px; }
.markdown-cell h2 { font-size: 1.3em; }
.markdown-cell p, .markdown-output p { margin: 0.5em 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
:not(pre) > code { background: var(--bg-soft); padding: 1px 4px; border-radius: 4px; }
pre {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px;
  line-height: 1.45; margin: 6px 0; padding: 8px 12px; overflow-x: auto; white-space: pre-wrap;
  word-break: break-word; border-radius: 6px;
}
details.code > summary {
  cursor: pointer; color: var(--muted); font-size: 0.82em; list-style: none;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
details.code > summary::before { content: "\\25B8  "; }
details.code[open] > summary::before { content: "\\25BE  "; }
details.code pre.source { background: var(--bg-soft); color: #57606a; border: 1px solid var(--border); }
.outputs { margin-top: 4px; }
pre.stream, pre.text-output, pre.json-output { background: #fff; border: 1px solid var(--border); }
pre.stream.stderr { background: #fff8f0; }
pre.error { background: #ffebe9; color: #82071e; border: 1px solid #ff818266; }
.plotly-output { width: 100%; min-height: 120px; }
.image-output img { max-width: 100%; height: auto; image-rendering: auto; border: 1px solid var(--border); }
.svg-output svg { max-width: 100%; height: auto; }
.html-output { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.92em; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--border); padding: 4px 10px; text-align: left; }
thead th { background: var(--bg-soft); font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
tbody tr:hover { background: #eef4ff; }
footer.page { max-width: 1100px; margin: 40px auto 24px; padding: 0 24px; color: var(--muted); font-size: 0.8em; }
@media print { details.code { display: none; } }
`;
