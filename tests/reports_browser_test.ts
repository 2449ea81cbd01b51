/**
 * Publishes a fixture executed notebook (markdown, two plotly figures — a log-axis scatter and
 * grouped bars —, an HTML table, a PNG, a stream, a run record) and opens the report and the
 * index in headless Chromium: every plot renders, the image loads, nothing is logged as an
 * error and nothing outside the page is requested. A broken page shows that the check bites.
 *
 * @module
 */
import { join } from "node:path";
import sharp from "sharp";
import { assert, assertEquals } from "./support/assert.ts";
import { groupedBars, htmlTable, percent, rocChart } from "../lib/notebook/display/mod.ts";
import {
  type BrowserCheckResult,
  checkReportsInBrowser,
  CHROMIUM_PATH,
  chromiumAvailable,
  findExternalUrls,
  publishReports,
  screenshotReports,
} from "../lib/notebook/publish/mod.ts";

const HAVE_CHROMIUM = chromiumAvailable();
const SKIP = HAVE_CHROMIUM
  ? ""
  : ` (ignored: no ${CHROMIUM_PATH}; apt-get install -y --no-install-recommends chromium)`;

function display(bundle: Record<string, unknown>) {
  return { output_type: "display_data", data: bundle, metadata: {} };
}

async function fixtureNotebook(): Promise<unknown> {
  const png = await sharp({
    create: { width: 6, height: 4, channels: 3, background: { r: 200, g: 40, b: 40 } },
  }).png().toBuffer();
  const roc = rocChart([
    { name: "demo", fpr: [0, 1e-4, 1e-3, 1e-2, 0.1, 1], tpr: [0, 0.6, 0.8, 0.9, 0.97, 1] },
  ], { title: "ROC" });
  const bars = groupedBars(["LFW", "AgeDB-30", "CFP-FP"], [
    { name: "log", values: [0.995, 0.95, null] },
    { name: "ours", values: [0.99, 0.93, 0.91] },
  ], { title: "accuracy" });
  const table = htmlTable([{ set: "LFW", acc: 0.9945 }, { set: "AgeDB-30", acc: 0.951 }], {
    columns: ["set", { key: "acc", label: "accuracy %", format: percent(2) }],
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      arcface_run: {
        started: "2025-05-01T10:00:00Z",
        finished: "2025-05-01T10:03:30Z",
        status: "ok",
      },
    },
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# Fixture report\n", "\n", "A *test*."] },
      {
        cell_type: "code",
        execution_count: 1,
        metadata: {},
        source: "rocChart(...); groupedBars(...)",
        outputs: [
          { output_type: "stream", name: "stdout", text: ["step 1\r", "step 2\n"] },
          display(roc.bundle),
          display(bars.bundle),
        ],
      },
      { cell_type: "markdown", metadata: {}, source: "## Table and image" },
      {
        cell_type: "code",
        execution_count: 2,
        metadata: {},
        source: "table; image",
        outputs: [
          { ...display(table.bundle), output_type: "execute_result", execution_count: 2 },
          display({ "image/png": png.toString("base64"), "text/plain": "[image]" }),
        ],
      },
    ],
  };
}

function failedNotebook(): unknown {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { arcface_run: { status: "failed", failed_cell: 0, error: "Error: boom" } },
    cells: [{
      cell_type: "code",
      execution_count: 1,
      metadata: {},
      source: "throw new Error('boom')",
      outputs: [{
        output_type: "error",
        ename: "Error",
        evalue: "boom",
        traceback: ["\x1b[31mError\x1b[0m: boom"],
      }],
    }],
  };
}

function byName(results: BrowserCheckResult[], suffix: string): BrowserCheckResult {
  const r = results.find((x) => x.file.endsWith(suffix));
  assert(r, `no result for ${suffix}`);
  return r;
}

Deno.test({
  name: `published reports render in headless Chromium without network access${SKIP}`,
  ignore: !HAVE_CHROMIUM,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "reports_browser_" });
    try {
      const good = join(dir, "fixture.ipynb");
      const bad = join(dir, "failed_run.ipynb");
      await Deno.writeTextFile(good, JSON.stringify(await fixtureNotebook()));
      await Deno.writeTextFile(bad, JSON.stringify(failedNotebook()));
      const out = join(dir, "reports");
      const { files, index } = await publishReports([good, bad], out);

      const html = await Deno.readTextFile(files[0]);
      assertEquals(findExternalUrls(html), [], "external URLs in the report");
      assertEquals(findExternalUrls(await Deno.readTextFile(index)), []);
      assertEquals(html.split('<script id="plotly-js">').length - 1, 1, "plotly.js inlined once");
      assert(!(await Deno.readTextFile(files[1])).includes("plotly-js"), "no plots, no plotly");

      // A page the check must fail: an outside image, an exception, a plot that never renders.
      const broken = join(out, "broken.html");
      await Deno.writeTextFile(
        broken,
        '<!DOCTYPE html><html><body><div class="plotly-output"></div>' +
          '<img src="http://127.0.0.1:9/x.png"><script>throw new Error("boom")</script>' +
          "</body></html>",
      );

      const results = await checkReportsInBrowser([...files, index, broken]);
      const report = byName(results, "fixture.html");
      assertEquals(
        { ...report, loadMs: 0 },
        {
          file: files[0],
          ok: true,
          plotsExpected: 2,
          plotsRendered: 2,
          images: 1,
          imagesBroken: [],
          consoleErrors: [],
          pageErrors: [],
          externalRequests: [],
          brokenLinks: [],
          loadMs: 0,
        },
      );
      for (const page of ["failed_run.html", "index.html"]) {
        const r = byName(results, page);
        assert(r.ok, `${page}: ${JSON.stringify(r)}`);
        assertEquals(r.plotsExpected, 0);
      }
      const b = byName(results, "broken.html");
      assert(!b.ok);
      assertEquals([b.plotsExpected, b.plotsRendered], [1, 0]);
      assertEquals(b.externalRequests, ["http://127.0.0.1:9/x.png"]);
      assertEquals(b.imagesBroken.length, 1);
      assert(b.pageErrors.some((e) => e.includes("boom")), JSON.stringify(b.pageErrors));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `screenshotReports writes a full-page PNG of a report, its plots drawn${SKIP}`,
  ignore: !HAVE_CHROMIUM,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "reports_shot_" });
    try {
      const nb = join(dir, "fixture.ipynb");
      await Deno.writeTextFile(nb, JSON.stringify(await fixtureNotebook()));
      const { files } = await publishReports([nb], join(dir, "reports"));
      const [shot] = await screenshotReports(files, dir, { width: 900 });
      assertEquals(shot.png, join(dir, "fixture.png"));
      const meta = await sharp(shot.png).metadata();
      assertEquals([meta.format, meta.width, meta.height], ["png", 900, shot.height]);
      assert(shot.height > 2 * 380, `two plots of 380 px and more: ${shot.height}`);
      // Not a blank page: the drawn plots and table make many distinct colours.
      const { data, info } = await sharp(shot.png).raw().toBuffer({ resolveWithObject: true });
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += info.channels * 97) {
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      assert(colours.size > 20, `${colours.size} colours`);
      let missing: unknown;
      await screenshotReports([join(dir, "nope.html")]).catch((e) => (missing = e));
      assert(missing instanceof Error && missing.name === "BrowserCheckError", String(missing));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
