import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { PLOTLY_MIME } from "../display/displayable.ts";
import { findExternalUrls } from "./external_urls.ts";
import { loadPlotlyJs, publishReports, ReportPublishError } from "./publish.ts";
import { renderIndexHtml } from "./render_index.ts";

function nb(title: string, run?: Record<string, unknown>, plot = false) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: run ? { arcface_run: run } : {},
    cells: [
      { cell_type: "markdown", source: `# ${title}\n\nWhat [this](x.md) *shows*.`, metadata: {} },
      {
        cell_type: "code",
        source: "1",
        execution_count: 1,
        metadata: {},
        outputs: plot
          ? [{ output_type: "display_data", data: { [PLOTLY_MIME]: { data: [] } }, metadata: {} }]
          : [],
      },
    ],
  };
}

Deno.test("renderIndexHtml links each report, escapes, and flags failed runs", () => {
  const html = renderIndexHtml([
    { title: "A <1>", file: "a b.html", status: "ok", finished: "2025-01-01", summary: "s&s" },
    { title: "B", file: "b.html", status: "failed" },
  ]);
  assert(html.includes('<a href="a%20b.html">A &lt;1&gt;</a>'));
  assert(html.includes('<span class="status ok">ok</span>'));
  assert(html.includes('<span class="status bad">failed</span>'));
  assert(html.includes("s&amp;s"));
  assert(html.includes("1 of 2 notebook run(s) did not succeed: B."));
  assertEquals(findExternalUrls(html), []);
  assert(renderIndexHtml([]).includes("No reports were published."));
});

Deno.test("publishReports writes one page per notebook and an index, leaving no temp files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "publish_test_" });
  try {
    const a = join(dir, "0_a.ipynb");
    const b = join(dir, "1_b.ipynb");
    await Deno.writeTextFile(
      a,
      JSON.stringify(nb("Alpha", { status: "ok", finished: "t1" }, true)),
    );
    await Deno.writeTextFile(b, JSON.stringify(nb("Beta")));
    const out = join(dir, "out");
    const res = await publishReports([a, b], out, {
      titles: { "1_b": "Custom B" },
      plotlyJs: "/*stub*/",
    });
    assertEquals(res.files, [join(out, "0_a.html"), join(out, "1_b.html")]);
    assertEquals(res.index, join(out, "index.html"));
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assertEquals(names, ["0_a.html", "1_b.html", "index.html"]);
    const index = await Deno.readTextFile(res.index);
    assert(index.includes('<a href="0_a.html">Alpha</a>'));
    assert(index.includes('<a href="1_b.html">Custom B</a>'));
    assert(index.includes("What this shows."), "summary from the first paragraph");
    assert(index.includes('<span class="status">unknown</span>'));
    assert((await Deno.readTextFile(res.files[0])).includes("/*stub*/"));
    assert(!(await Deno.readTextFile(res.files[1])).includes("/*stub*/"));

    await assertRejects(
      () => publishReports([a, join(dir, "x", "0_a.ipynb")], out),
      ReportPublishError,
      "would both publish 0_a.html",
    );
    await assertRejects(
      () => publishReports([join(dir, "missing.ipynb")], out),
      ReportPublishError,
      "cannot read notebook",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadPlotlyJs finds the basic bundle (scatter, bar) in node_modules", async () => {
  const js = await loadPlotlyJs();
  assert(js.length > 500_000, `plotly.js is only ${js.length} bytes`);
  assert(js.includes("newPlot") && !js.includes("</script"));
});
