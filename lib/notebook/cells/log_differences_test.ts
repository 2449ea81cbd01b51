import { join } from "node:path";
import { assert } from "../../../tests/support/assert.ts";
import { loadConfig } from "../../config/mod.ts";
import type { EvalReport } from "../../eval/mod.ts";
import { repoRoot } from "../../io/repo_root.ts";
import type { SectionData } from "./dataset.ts";
import { baselineDifferences, sectionDifferences } from "./log_differences.ts";
import type { NotebookProfile } from "./profiles.ts";

const text = (d: { bundle: Record<string, unknown> }) => d.bundle["text/markdown"] as string;
const row = (md: string, what: string) => md.split("\n").find((l) => l.startsWith(`| ${what} |`))!;

function profile(labels: string[], what: string): NotebookProfile {
  const sets = labels.map((label) => ({ label, logKey: null, spec: label }));
  return {
    name: "tiny",
    description: "",
    root: repoRoot(),
    baseline: { model: "m", what, resultsName: "x" },
    sets,
    baselineSets: sets,
    reproduceConfig: "",
    kfaceConfig: "",
    secondSet: { label: "AT&T faces", note: "" },
    notebooksDir: "",
  };
}

/** Labels of `identities` per source (one image each but the first, which holds the rest). */
function data(sources: [string, number, number][]): SectionData {
  const labels = sources.flatMap(([source, ids, images]) =>
    Array.from({ length: ids }, (_, i) => ({
      label: i,
      identity: `${source}${i}`,
      count: i === 0 ? images - ids + 1 : 1,
      source,
    }))
  );
  const identities = sources.reduce((s, x) => s + x[1], 0);
  const images = sources.reduce((s, x) => s + x[2], 0);
  return {
    labels,
    summary: { identities, images, sources: sources.map((s) => s[0]) },
  } as unknown as SectionData;
}

const config = await loadConfig(join(repoRoot(), "configs", "nb_tiny_reproduce.yaml"));
const paper = await loadConfig(join(repoRoot(), "configs", "arc_res50.yaml"));

Deno.test("section 1: a small data set and network differ; MS1M's counts and arcface-tf2's config do not", async () => {
  const small = text(
    await sectionDifferences(
      profile(["LFW View 1"], ""),
      config,
      data([["lfw", 5, 12]]),
      "reproduce",
    ),
  );
  assert(
    row(small, "training data").endsWith("| lfw: 5 identities, 12 images | **differs** |"),
    small,
  );
  assert(
    row(small, "network").includes("MobileFaceNet x0.25, 128-d") &&
      row(small, "network").endsWith("**differs** |"),
    small,
  );
  assert(row(small, "verification sets").includes("| LFW, AgeDB-30, CFP-FP | LFW View 1 |"), small);
  const same = text(
    await sectionDifferences(
      profile(["LFW", "AgeDB-30", "CFP-FP"], ""),
      paper,
      data([["ms1m", 85742, 5822653]]),
      "reproduce",
    ),
  );
  for (const what of ["training data", "network", "training", "head", "verification sets"]) {
    assert(row(same, what).endsWith("| same |"), `${what}: ${row(same, what)}`);
  }
});

Deno.test("section 2: the added set is compared with K-Face's counts", async () => {
  const md = text(
    await sectionDifferences(
      profile(["LFW View 1"], ""),
      { ...config, num_classes: 45 },
      data([["lfw", 5, 12], ["att", 40, 399]]),
      "kface",
    ),
  );
  assert(row(md, "data added").includes("AT&T faces (att): 40 identities, 399 images"), md);
  assert(row(md, "together").includes("| 45 identities, 411 images | **differs** |"), md);
});

Deno.test("section 0: another pretrained model differs; arcface-tf2's ResNet50 is the log's", () => {
  const report = { modelInfo: { name: "face-api" }, sets: [{ set: "lfw" }] } as EvalReport;
  const other = text(baselineDifferences(profile(["LFW View 2"], "dlib ResNet-34"), report));
  assert(row(other, "model").endsWith("**differs** |"), other);
  const same = text(
    baselineDifferences(profile(["LFW"], "arcface-tf2's pretrained ResNet50 (TF.js)"), report),
  );
  assert(row(same, "model").endsWith("| same |"), same);
});
