import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { PLOTLY_MIME } from "../display/displayable.ts";
import { findExternalUrls } from "./external_urls.ts";
import { NotebookFormatError } from "./notebook_model.ts";
import { renderNotebookHtml, ReportRenderError } from "./render_notebook.ts";
import { renderBundle, stripAnsi, terminalText } from "./render_output.ts";

const FAKE_PLOTLY = "/* plotly stub */ window.Plotly = { newPlot() {} };";
const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";

function display(data: Record<string, unknown>) {
  return { output_type: "display_data", data, metadata: {} };
}

function notebook(cells: unknown[], metadata: Record<string, unknown> = {}) {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

function code(outputs: unknown[], source = "x", count = 1) {
  return { cell_type: "code", source, execution_count: count, metadata: {}, outputs };
}

const figure = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { height: 300 } };

Deno.test("renderBundle picks the richest MIME type: plotly > html > png > svg > markdown > plain", () => {
  const all = {
    [PLOTLY_MIME]: figure,
    "text/html": "<b>html</b>",
    "image/png": PNG_1PX,
    "image/svg+xml": "<svg></svg>",
    "text/markdown": "**md**",
    "text/plain": "plain",
  };
  assert(renderBundle(all, "p").includes('class="plotly-output" id="p"'));
  const { [PLOTLY_MIME]: _p, ...noPlot } = all;
  assert(renderBundle(noPlot, "p").includes("<b>html</b>"));
  const { "text/html": _h, ...noHtml } = noPlot;
  assert(renderBundle(noHtml, "p").includes(`src="data:image/png;base64,${PNG_1PX}"`));
  const { "image/png": _i, ...noPng } = noHtml;
  assert(renderBundle(noPng, "p").includes('<div class="svg-output"><svg></svg></div>'));
  const { "image/svg+xml": _s, ...noSvg } = noPng;
  assert(renderBundle(noSvg, "p").includes("<strong>md</strong>"));
  assertEquals(
    renderBundle({ "text/plain": "a < b & 'c'" }, "p"),
    '<pre class="text-output">a &lt; b &amp; &#39;c&#39;</pre>',
  );
  assert(renderBundle({ "image/jpeg": "abc\n" }, "p").includes('data:image/jpeg;base64,abc"'));
  assert(renderBundle({ "application/x-weird": 1 }, "p").includes("not shown"));
});

Deno.test("plotly data cannot break out of its script; ANSI escapes and \\r are cleaned", () => {
  const html = renderBundle({ [PLOTLY_MIME]: { data: [{ name: "</script><b>x" }] } }, "p");
  assert(!html.includes("</script><b>"), html);
  assert(html.includes("\\u003c/script\\u003e"));
  assert(html.includes('"displaylogo":false') && html.includes('"responsive":true'));
  assertEquals(stripAnsi("\x1b[31mred\x1b[0m \x1b]0;title\x07ok"), "red ok");
  assertEquals(terminalText("10%\r50%\r100%\ndone\r\n"), "100%\ndone\n");
});

Deno.test("renderNotebookHtml inlines plotly.js once, only when there are plots", () => {
  const nb = notebook([
    { cell_type: "markdown", source: ["# My title\n", "Some *text*."], metadata: {} },
    code([display({ [PLOTLY_MIME]: figure }), display({ [PLOTLY_MIME]: figure })]),
    code([display({ [PLOTLY_MIME]: figure, "text/plain": "[fig]" })], "y", 2),
  ]);
  const html = renderNotebookHtml(nb, { plotlyJs: FAKE_PLOTLY });
  assertEquals(html.split("plotly stub").length - 1, 1);
  assertEquals(html.split("Plotly.newPlot(").length - 1, 3);
  const ids = [...html.matchAll(/class="plotly-output" id="([^"]+)"/g)].map((m) => m[1]);
  assertEquals(new Set(ids).size, 3);
  assert(html.includes("<title>My title</title>"));
  assert(html.includes("<em>text</em>"));
  assertThrows(() => renderNotebookHtml(nb), ReportRenderError, "options.plotlyJs");
  const plain = renderNotebookHtml(notebook([code([display({ "text/plain": "hi" })])]), {
    plotlyJs: FAKE_PLOTLY,
  });
  assert(!plain.includes("plotly stub") && !plain.includes("Plotly.newPlot"));
});

Deno.test("code is escaped and collapsed; streams merge; errors lose their ANSI colours", () => {
  const nb = notebook([
    code([
      { output_type: "stream", name: "stdout", text: ["a <tag>\n"] },
      { output_type: "stream", name: "stdout", text: "b\n" },
      {
        output_type: "error",
        ename: "TypeError",
        evalue: "bad",
        traceback: ["\x1b[31mTypeError\x1b[0m: bad <here>"],
      },
    ], "const a = 1 < 2 && '<script>';"),
  ]);
  const html = renderNotebookHtml(nb, { title: "T <&>" });
  assert(html.includes("<title>T &lt;&amp;&gt;</title>"));
  assert(html.includes('<details class="code"><summary>In [1]: const a = 1 &lt; 2'));
  assert(!html.includes("'<script>'"));
  assert(html.includes('<pre class="stream stdout">a &lt;tag&gt;\nb\n</pre>'), html);
  assert(html.includes('<pre class="error">TypeError: bad &lt;here&gt;</pre>'));
  assert(!html.includes("\x1b"));
  assert(html.includes('class="banner warn"'), "cells with errors get a warning banner");
});

Deno.test("a failed run shows a banner naming the failed cell; a good run shows its status", () => {
  const run = {
    started: "2025-01-01T10:00:00Z",
    finished: "2025-01-01T10:02:05Z",
    status: "failed",
    failed_cell: 1,
    error: "RangeError: out of memory",
  };
  const cells = [{ cell_type: "markdown", source: "intro", metadata: {} }, code([], "boom", 7)];
  const html = renderNotebookHtml(notebook(cells, { arcface_run: run }));
  assert(html.includes('<div class="banner" role="alert">This run failed at'), html);
  assert(html.includes('<a href="#cell-1">cell 2 (In [7])</a>: RangeError: out of memory'));
  assert(html.includes('class="cell code-cell failed" id="cell-1"'));
  assert(html.includes("took 2 min 5 s") && html.includes("started 2025-01-01T10:00:00Z"));
  const ok = renderNotebookHtml(notebook(cells, { arcface_run: { ...run, status: "ok" } }));
  assert(!ok.includes('class="banner') && ok.includes('<span class="status ok">ok</span>'));
  const none = renderNotebookHtml(notebook(cells));
  assert(none.includes("no run record"));
});

Deno.test("the page refers to nothing outside itself", () => {
  const nb = notebook([
    {
      cell_type: "markdown",
      source: "# x\n![a](attachment:a.png)",
      attachments: { "a.png": { "image/png": PNG_1PX } },
    },
    code([
      display({ [PLOTLY_MIME]: figure }),
      display({ "image/png": PNG_1PX }),
      display({ "text/html": "<table><tr><td>1</td></tr></table>" }),
    ]),
  ]);
  const html = renderNotebookHtml(nb, { plotlyJs: `${FAKE_PLOTLY} a.href="https://plotly.com/";` });
  assertEquals(findExternalUrls(html), []);
  assert(html.includes(`src="data:image/png;base64,${PNG_1PX}"`));
  for (
    const bad of [
      'src="http://x/a.js"',
      "href='https://cdn/x.css'",
      "@import 'x.css'",
      "url(https://f/x.woff)",
      'src="//cdn/x.js"',
    ]
  ) {
    const found = findExternalUrls(html.replace("</main>", `${bad}</main>`));
    assertEquals(found.length, 1, bad);
  }
});

Deno.test("malformed notebooks raise NotebookFormatError naming where", () => {
  assertThrows(() => renderNotebookHtml({ cells: "x" }), NotebookFormatError, "no 'cells' list");
  assertThrows(
    () => renderNotebookHtml(notebook([{ cell_type: "weird" }]), { source: "a.ipynb" }),
    NotebookFormatError,
    "a.ipynb, cell 0",
  );
  assertThrows(
    () => renderNotebookHtml(notebook([code([{ output_type: "nope" }])])),
    NotebookFormatError,
    "cell 0, output 0: unknown output_type 'nope'",
  );
});
