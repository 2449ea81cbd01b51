/**
 * Progress in place, end to end: a notebook cell drives a {@linkcode LiveProgress} on
 * `Deno.jupyter` with a fake evaluator (40 progress events) through the real runner
 * (`runNotebook` -> run_notebook.py -> the repo's Deno kernel). The live display is one
 * display_data updated in place (several update_display_data, one display id); the executed
 * notebook, and the HTML report made from it, hold one final line, not 40. Ignored when
 * /usr/bin/python3 lacks jupyter_client.
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals } from "./support/assert.ts";
import { checkJupyter, runNotebook } from "../lib/notebook/run/mod.ts";
import { renderNotebookHtml } from "../lib/notebook/publish/render_notebook.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

const missing = await checkJupyter().then(() => null, (e: Error) => e.message);
const suffix = missing
  ? " (IGNORED: /usr/bin/python3 lacks jupyter_client; " +
    "apt-get install -y --no-install-recommends python3-jupyter-client)"
  : "";

interface Output {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
}

Deno.test({
  name:
    `progress in place: a progress cell publishes one final line, its display updated in place${suffix}`,
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "nb_progress_test_" });
    try {
      const lib = (p: string) => pathToFileURL(join(repoRoot(), "lib", p)).href;
      const logPath = join(dir, "eval_progress.log");
      const progressCell = [
        `import { LiveProgress } from "${lib("notebook/display/live_progress.ts")}";`,
        `import { evalProgress } from "${lib("notebook/display/progress.ts")}";`,
        `const live = new LiveProgress(Deno.jupyter, { logPath: ${JSON.stringify(logPath)},`,
        `  intervalMs: 20, displayId: "eval-progress" });`,
        "const show = evalProgress(live);",
        "for (let done = 100; done <= 4000; done += 100) {",
        '  show({ set: "lfw", phase: "embed", done, total: 4000, imagesPerSec: 40 });',
        "  await new Promise((r) => setTimeout(r, 25));",
        "}",
        "await live.finish();",
        "live.messages",
      ].join("\n");
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          { cell_type: "markdown", metadata: {}, source: "# progress test" },
          { cell_type: "code", metadata: {}, source: progressCell, outputs: [] },
          { cell_type: "code", metadata: {}, source: 'console.log("after")', outputs: [] },
        ],
      };
      const path = join(dir, "in.ipynb");
      await Deno.writeTextFile(path, JSON.stringify(nb));
      const lines: string[] = [];
      const out = join(dir, "executed.ipynb");
      const result = await runNotebook(path, {
        out,
        timeoutSec: 300,
        onLine: (l) => lines.push(l),
      });
      assertEquals(result.message, null);

      // Live: one display id, updated in place several times (the runner counts the updates).
      const done = lines.find((l) => l.startsWith("cell 1/2 done")) ?? "";
      const updates = [...done.matchAll(/display (\S+) updated (\d+) time\(s\) in place/g)];
      assertEquals(updates.map((m) => m[1]), ["eval-progress"], done);
      const n = Number(updates[0][2]);
      assert(n >= 5, `several in-place updates expected, got ${n}: ${done}`);

      // Executed notebook: one output for the display, holding the final state only.
      const executed = JSON.parse(await Deno.readTextFile(out));
      const outs: Output[] = executed.cells[1].outputs;
      const displays = outs.filter((o) => o.output_type === "display_data");
      assertEquals(displays.length, 1, JSON.stringify(outs).slice(0, 500));
      assertEquals(outs.filter((o) => o.output_type === "stream").length, 0);
      const final = String(displays[0].data?.["text/plain"]);
      assertEquals(final.split("\n").length, 1, final);
      assert(/^lfw: embedded 4,000 images in \d+s at [\d.]+ img\/s/.test(final), final);
      assert(final.endsWith(`(full log: ${logPath})`), final);
      // Every message counted by the kernel cell: the display_data and its updates.
      const result1 = outs.find((o) => o.output_type === "execute_result");
      assertEquals(Number(result1?.data?.["text/plain"]), n + 1);

      // Report: the final line once, none of the 39 intermediate states.
      const html = renderNotebookHtml(executed);
      assertEquals(html.split("lfw: embedded 4,000 images").length - 1, 1);
      assert(!html.includes("lfw: embed 100/4000"), "an intermediate state reached the report");
      // The full log keeps all 40 states.
      const log = await Deno.readTextFile(logPath);
      assertEquals(log.split("\n").filter((l) => l.includes("] lfw: ")).length, 40);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
