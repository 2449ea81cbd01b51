/**
 * The notebooks follow the research log: its headings, in its order, and under each the
 * counterpart of the log's own figure (section 0's result image, section 1's TFRecord
 * screenshot and result numbers, section 2's result numbers), plus the explanation cells.
 * Read from the committed notebooks (no run needed); `reproduce_tiny_test.ts` checks the
 * executed ones show them.
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

/** Per notebook: each of the log's headings and the calls its part must make, in order. */
const LOG_ORDER: Record<string, [string, string[]][]> = {
  "0_baseline": [
    ["# 0. Use the model from GitHub as it is", ["nb.profileTable("]],
    ["## Hyper-parameters", ["nb.hyperParameterTable("]],
    ["## Result", [
      "nb.baselineTable(",
      "nb.baselineBars(", // the log's result image
      "nb.thresholdExplanation(",
      "nb.distanceChart(",
      "nb.baselineDifferences(",
    ]],
  ],
  "1_reproduce": [
    ["# 1. Re-implement that model ourselves", ["nb.profileTable("]],
    ["## 1.1 Dataset", [
      "nb.datasetTable(",
      "nb.tfrecordRecords(", // the log's TFRecord screenshot
      "nb.sampleFaces(",
      "nb.sectionDifferences(",
    ]],
    ["## 1.2 Train", [
      "nb.configTable(",
      "nb.arcfaceExplanation(",
      "nb.trainSection(",
      'nb.sectionResultTable(profile, run, "reproduce")', // the log's result numbers
    ]],
    ["## 1.3 Result", ["nb.runCharts(", "accuracyChart", "angleChart"]],
    ["## 1.4 Interpretation", ["nb.interpretReproduction("]],
  ],
  "2_kface": [
    ["# 2. Train again with the K-Face dataset added", ["nb.profileTable("]],
    ["## 2.1 Dataset", ["nb.datasetTable(", "nb.labelTable(", "nb.sectionDifferences("]],
    ["## 2.2 Train", [
      "nb.configTable(",
      "nb.arcfaceExplanation(",
      "nb.trainSection(",
      'nb.sectionResultTable(profile, run, "kface")', // the log's result numbers
    ]],
    ["## 2.3 Result", ["nb.sectionsTable(", "nb.sectionsChart(", "nb.runCharts(", "angleBoth"]],
  ],
};

/** A notebook cut at its headings: [heading line, the code of the cells below it]. */
async function parts(name: string): Promise<[string, string][]> {
  const nb = JSON.parse(
    await Deno.readTextFile(join(repoRoot(), "notebooks", `${name}.ipynb`)),
  ) as { cells: { cell_type: string; source: string[] }[] };
  const out: [string, string][] = [];
  for (const c of nb.cells) {
    const text = c.source.join("");
    const heading = c.cell_type === "markdown" ? text.split("\n")[0] : "";
    if (/^##? /.test(heading)) out.push([heading, ""]);
    else if (c.cell_type === "code" && out.length > 0) out.at(-1)![1] += text + "\n";
  }
  return out;
}

for (const [name, expected] of Object.entries(LOG_ORDER)) {
  Deno.test(`${name}: the log's headings in its order, each with its counterparts`, async () => {
    const got = await parts(name);
    assertEquals(got.map(([h]) => h), expected.map(([h]) => h), "headings");
    for (const [i, [heading, calls]] of expected.entries()) {
      const code = got[i][1];
      let at = -1;
      for (const call of calls) {
        const next = code.indexOf(call, at + 1);
        assert(next > at, `${name}, ${heading}: '${call}' missing or out of order`);
        at = next;
      }
    }
  });
}
