/**
 * `deno task reproduce [--profile demo|tiny|paper] [--only 0_baseline,...]`
 *
 * The main job: runs the three notebooks in order (0_baseline, 1_reproduce, 2_kface) headless
 * with the chosen profile, writes the executed notebooks to `results/notebooks/<profile>/`, and
 * publishes them as self-contained HTML reports under `results/reports/` (the demo profile) or
 * `results/reports/<profile>/`, with an index page. Progress: one line per notebook cell and the
 * notebooks' own progress lines (training steps, embedding speed). A failed cell stops the job
 * with a non-zero exit; the executed notebook showing the failure is still written and published.
 *
 * @module
 */
import { join } from "node:path";
import { existsSync } from "node:fs";
import { repoRoot } from "../lib/io/repo_root.ts";
import {
  loadProfile,
  NOTEBOOK_NAMES as NOTEBOOKS,
  type NotebookName,
  PROFILE_NAMES,
} from "../lib/notebook/mod.ts";
import { checkJupyter, runNotebook } from "../lib/notebook/run/mod.ts";
import { publishReports } from "../lib/notebook/publish/mod.ts";
import { guardCli, numberOption, parseCliOrHelp, UsageError } from "./cli_main.ts";

const TITLES: Record<string, string> = {
  "0_baseline": "0. Use the model from GitHub as it is",
  "1_reproduce": "1. Re-implement that model ourselves",
  "2_kface": "2. Train again with the K-Face dataset added",
};

function fail(message: string, code = 1): never {
  console.error(`reproduce: ${message}`);
  Deno.exit(code);
}

const USAGE = `usage: deno task reproduce [--profile ${PROFILE_NAMES.join("|")}] [--only ${
  NOTEBOOKS.join(",")
}] [--timeout-min 90]

  --profile      the notebooks' profile (default demo; tiny for CI)
  --only         run only these notebooks (comma-separated)
  --timeout-min  minutes allowed per cell (default 90)`;

guardCli("reproduce", USAGE);
const { values } = parseCliOrHelp(Deno.args, {
  profile: { type: "string", default: "demo" },
  only: { type: "string" },
  "timeout-min": { type: "string", default: "90" },
});
if (!(PROFILE_NAMES as readonly string[]).includes(values.profile)) {
  throw new UsageError(
    `--profile must be one of ${PROFILE_NAMES.join(", ")}, got '${values.profile}'`,
  );
}
const timeoutMin = numberOption("timeout-min", values["timeout-min"], {
  min: 0,
  exclusiveMin: true,
})!;
const selected: NotebookName[] = values.only
  ? values.only.split(",").map((s) => s.trim() as NotebookName)
  : [...NOTEBOOKS];
for (const s of selected) {
  if (!(NOTEBOOKS as readonly string[]).includes(s)) {
    throw new UsageError(`--only: unknown notebook '${s}' (valid: ${NOTEBOOKS.join(", ")})`);
  }
}
try {
  // Fails early, with what is missing for these notebooks, before any kernel starts.
  loadProfile(values.profile, { notebooks: selected });
  await checkJupyter();
} catch (e) {
  fail((e as Error).message);
}

const root = repoRoot();
const outDir = join(root, "results", "notebooks", values.profile);
const reportsDir = values.profile === "demo"
  ? join(root, "results", "reports")
  : join(root, "results", "reports", values.profile);
const t0 = performance.now();
const minutes = () => ((performance.now() - t0) / 60000).toFixed(1);
const executed: string[] = [];
let failed: string | null = null;
for (const [i, name] of selected.entries()) {
  console.error(
    `reproduce: [${
      i + 1
    }/${selected.length}] ${name} (profile ${values.profile}), ${minutes()} min elapsed`,
  );
  const r = await runNotebook(join(root, "notebooks", `${name}.ipynb`), {
    out: join(outDir, `${name}.ipynb`),
    env: { ARCFACE_PROFILE: values.profile },
    timeoutSec: timeoutMin * 60,
    onLine: (line) => console.error(`  ${name}: ${line}`),
  });
  executed.push(r.out);
  console.error(
    `reproduce: ${name} ${r.ok ? "done" : "FAILED"} in ${
      (r.seconds / 60).toFixed(1)
    } min -> ${r.out}`,
  );
  if (!r.ok) {
    failed = `${name}: cell ${r.failedCell} failed: ${r.message}`;
    break;
  }
}
// Publish every executed notebook of this profile (those of an earlier --only run too), in order.
const toPublish = NOTEBOOKS.map((n) => join(outDir, `${n}.ipynb`)).filter((f) => existsSync(f));
const published = await publishReports(toPublish, reportsDir, { titles: TITLES });
console.error(
  `reproduce: reports in ${reportsDir} (index: ${published.index}), ${minutes()} min in all`,
);
console.log(
  JSON.stringify({
    profile: values.profile,
    executed,
    reports: published.files,
    index: published.index,
    minutes: Number(minutes()),
    failed,
  }),
);
if (failed) fail(failed);
