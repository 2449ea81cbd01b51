/**
 * `deno task publish`: executed notebooks -> self-contained HTML reports and an index page.
 *
 * Usage: deno task publish results/notebooks/*.ipynb [--out results/reports] [--check]
 *        [--screenshot] [--title NAME=TITLE ...]
 *
 * Writes `<out>/<notebook name>.html` per notebook and `<out>/index.html`. `--check` then opens
 * every page in headless Chromium (/usr/bin/chromium) and fails (exit 1) when a plot did not
 * render, an image did not load, the page logged an error, or it requested anything outside
 * itself; the per-page results are printed as JSON lines. `--screenshot` writes a full-page PNG
 * of every page (headless Chromium too) into the same folder.
 *
 * @module
 */
import {
  checkReportsInBrowser,
  publishReports,
  screenshotReports,
} from "../lib/notebook/publish/mod.ts";
import { guardCli, parseCliOrHelp, UsageError } from "./cli_main.ts";

const USAGE = `Usage: deno task publish results/notebooks/*.ipynb [--out results/reports] [--check]
         [--screenshot] [--title NAME=TITLE ...]

  --out     folder for <notebook>.html and index.html (default results/reports)
  --check   open every page in headless Chromium and fail when something did not render
  --screenshot  write a full-page PNG of every page (headless Chromium) beside it
  --title   NAME=TITLE: the title of a notebook's report (repeatable)`;

guardCli("publish", USAGE);
const { values, positionals } = parseCliOrHelp(Deno.args, {
  out: { type: "string", default: "results/reports" },
  check: { type: "boolean", default: false },
  screenshot: { type: "boolean", default: false },
  title: { type: "string", multiple: true, default: [] },
}, {
  minPositionals: 1,
  maxPositionals: Infinity,
  positionalsHint: "the executed notebooks, e.g. results/notebooks/*.ipynb",
});

const titles: Record<string, string> = {};
for (const t of values.title) {
  const i = t.indexOf("=");
  if (i <= 0) {
    throw new UsageError(`--title must be NAME=TITLE (notebook name or path), got '${t}'`);
  }
  titles[t.slice(0, i)] = t.slice(i + 1);
}

// Failures end through guardCli (typed errors as their message).
const t0 = performance.now();
const { files, index } = await publishReports(positionals, values.out, { titles });
for (const f of files) {
  console.log(`publish: wrote ${f} (${((await Deno.stat(f)).size / 1024).toFixed(0)} KB)`);
}
console.log(
  `publish: wrote ${index}; ${files.length} report(s) in ${
    ((performance.now() - t0) / 1000).toFixed(1)
  } s`,
);
if (values.check) {
  const results = await checkReportsInBrowser([...files, index]);
  for (const r of results) console.log(JSON.stringify(r));
  const bad = results.filter((r) => !r.ok);
  if (bad.length > 0) {
    console.error(`publish: browser check failed for ${bad.map((r) => r.file).join(", ")}`);
    Deno.exit(1);
  }
  console.log(`publish: browser check ok (${results.length} page(s))`);
}
if (values.screenshot) {
  for (const s of await screenshotReports([...files, index], values.out)) {
    console.log(`publish: wrote ${s.png} (${s.width}x${s.height} CSS px)`);
  }
}
