/**
 * The main job end to end with the `tiny` profile (what CI runs): `deno task reproduce --profile
 * tiny` executes the three notebooks headless, publishes their reports, and every report renders
 * in headless Chromium with all its charts, no console error and no network request.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { defaultDataRoot } from "../lib/data/data_root.ts";
import { checkReportsInBrowser } from "../lib/notebook/publish/mod.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

const ROOT = repoRoot();
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
      const outputs = json.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
      assert(outputs.length > 5, `${nb}: ${outputs.length} outputs`);
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
