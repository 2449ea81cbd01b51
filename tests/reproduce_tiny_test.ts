/**
 * The main job end to end with the `tiny` profile (what CI runs): `deno task reproduce --profile
 * tiny` executes the three notebooks headless, publishes their reports, and every report renders
 * in headless Chromium with all its charts, no console error and no network request.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { defaultDataRoot } from "../lib/data/data_root.ts";
import { checkReportsInBrowser } from "../lib/notebook/publish/mod.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

const ROOT = repoRoot();

/**
 * What each executed notebook must show, in this order (issue 15's explanation cells, charts
 * and the counterparts of the log's figures): `md:` a markdown output, `html:` a table's
 * caption, `plot:` a chart's title, each by the start of its text.
 */
const SHOWN: Record<string, string[]> = {
  "0_baseline": [
    "plot:Section 0: verification accuracy",
    "md:**How the accuracy and its threshold are found**",
    "plot:Pair distances on",
    "md:**Where the `tiny` profile differs from the log**",
  ],
  "1_reproduce": [
    'html:<table class="arcface-table"><caption>The first 8 records of',
    "md:**Where the `tiny` profile differs from the log**",
    "md:**The ArcFace head and its loss**",
    'html:<table class="arcface-table"><caption>Section 1: verification after training',
    "plot:Batch accuracy of the plain cosines",
    "plot:Mean angle between each face",
  ],
  "2_kface": [
    "md:**Where the `tiny` profile differs from the log**",
    "md:**The ArcFace head and its loss**",
    'html:<table class="arcface-table"><caption>Section 2: verification after training',
    "plot:Sections 1 and 2 side by side",
    "plot:Batch accuracy of the plain cosines",
    "plot:Mean angle between each face",
  ],
};

type Output = { output_type?: string; text?: string | string[]; data?: Record<string, unknown> };

/** In-flight progress states (`lfw: embed 1760/7701`, `step 40/200 ...`, `converting: 3/9`). */
const PROGRESS_STATE = /^(\S+: (load|embed) \d+\/\d+|step \d+\/\d+ |converting: \d+\/\d+)/m;

/** A cell's plain text: its streams and the text/plain of its displays. */
function plainText(outputs: Output[]): string {
  const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
  return outputs.map((o) =>
    o.output_type === "stream" ? text(o.text) : text(o.data?.["text/plain"])
  ).join("\n");
}

/** Each rich output as `md:` / `html:` / `plot:` + its text (see {@linkcode SHOWN}). */
function shown(outputs: Output[]): string[] {
  const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v));
  return outputs.flatMap((o) => {
    const d = o.data ?? {};
    if (d["application/vnd.plotly.v1+json"]) {
      const f = d["application/vnd.plotly.v1+json"] as { layout: { title?: { text: string } } };
      return [`plot:${f.layout.title?.text ?? ""}`];
    }
    if (d["text/markdown"]) return [`md:${text(d["text/markdown"])}`];
    if (d["text/html"]) return [`html:${text(d["text/html"])}`];
    return [];
  });
}
const jupyter = (await new Deno.Command("/usr/bin/python3", {
  args: ["-c", "import jupyter_client"],
  stdout: "null",
  stderr: "null",
}).output().catch(() => ({ code: 1 }))).code === 0;
const chromium = existsSync("/usr/bin/chromium");

Deno.test({
  name:
    "deno task reproduce --profile tiny runs the three notebooks and publishes checked reports" +
    (jupyter && chromium && defaultDataRoot()
      ? ""
      : " (IGNORED: needs jupyter_client, chromium and ../shared/data)"),
  ignore: !jupyter || !chromium || defaultDataRoot() === undefined,
  fn: async () => {
    const r = await new Deno.Command(join(ROOT, "deno"), {
      args: ["task", "reproduce", "--profile", "tiny"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const err = new TextDecoder().decode(r.stderr);
    assertEquals(r.code, 0, err.slice(-4000));
    const summary = JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").at(-1)!);
    assertEquals(summary.failed, null);
    assertEquals(summary.executed.length, 3);
    for (const nb of summary.executed as string[]) {
      const json = JSON.parse(await Deno.readTextFile(nb));
      assertEquals(json.metadata.arcface_run.status, "ok", nb);
      const outputs: Output[] = json.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []);
      assert(outputs.length > 5, `${nb}: ${outputs.length} outputs`);
      const got = shown(outputs);
      let at = -1;
      for (const want of SHOWN[basename(nb, ".ipynb")]) {
        const i = got.findIndex((g, j) => j > at && g.startsWith(want));
        assert(
          i > at,
          `${nb}: no '${want}' after output ${at}; shown: ${got.map((g) => g.slice(0, 60))}`,
        );
        at = i;
      }
      // Progress in place: no in-flight state printed or left in the report, only final ones
      // ("... embedded N images", "done at step") naming their full log in results/.
      const cells: { outputs?: Output[] }[] = json.cells;
      for (const c of cells) {
        const plain = plainText(c.outputs ?? []);
        assert(!PROGRESS_STATE.test(plain), `${nb}: progress spam: ${plain.slice(0, 300)}`);
      }
      // A progress display is a text/plain-only display_data.
      const finals = cells.flatMap((c) => c.outputs ?? [])
        .filter((o) =>
          o.output_type === "display_data" && Object.keys(o.data ?? {}).join() === "text/plain"
        )
        .map((o) => plainText([o])).filter((t) => /embedded [\d,]+ images|done at step/.test(t));
      assert(finals.length > 0, `${nb}: no final progress state`);
      for (const f of finals) assert(/\(full log: results\/\S+\.log\)$/.test(f), `${nb}: ${f}`);
      // The plain-cosine accuracy and the angle were logged: their charts hold data.
      for (const plot of outputs.map((o) => o.data?.["application/vnd.plotly.v1+json"])) {
        const f = plot as { layout: { title?: { text: string } }; data: { y: unknown[] }[] };
        if (/^(Batch accuracy of the plain|Mean angle)/.test(f?.layout.title?.text ?? "")) {
          assert(f.data[0].y.length > 0, `${nb}: ${f.layout.title?.text} is empty`);
        }
      }
    }
    const checks = await checkReportsInBrowser([...summary.reports, summary.index]);
    for (const c of checks) {
      assert(c.ok, JSON.stringify(c));
    }
    // Every notebook page has charts, and all of them rendered.
    for (const c of checks.slice(0, 3)) {
      assert(c.plotsExpected > 0 && c.plotsRendered === c.plotsExpected, JSON.stringify(c));
    }
  },
});
