/**
 * End-to-end evaluation on 20 real LFW pairs: the packaged face-api baseline separates them,
 * the collapsed MobileFaceNet fixture is flagged loudly instead of quietly scoring ~50%, and the
 * report round-trips through eval.json.
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { collapsedModelJson, lfwRoot } from "./support/shared_data.ts";
import { evaluateModel, saveEvalReport } from "../lib/eval/mod.ts";

const lfw = lfwRoot();
const collapsed = collapsedModelJson();

/** A View 1 style pairs file with the first 10 same and first 10 different pairs of pairsDevTest. */
async function smallSet(dir: string): Promise<string> {
  const lines = (await Deno.readTextFile(join(lfw!, "pairsDevTest.txt"))).trim().split("\n");
  const same = lines.slice(1, 11), diff = lines.slice(501, 511);
  await Deno.writeTextFile(join(dir, "pairs20.txt"), ["10", ...same, ...diff].join("\n") + "\n");
  await Deno.symlink(join(lfw!, "images"), join(dir, "images"));
  return `${dir}:pairs20.txt`;
}

Deno.test({
  name: "face-api separates real LFW pairs; the report is saved as eval.json",
  ignore: lfw === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "eval_" });
    try {
      const spec = await smallSet(tmp);
      const report = await evaluateModel("face-api", [spec], { workers: 1, batchSize: 8 });
      const s = report.sets[0];
      assertEquals(s.pairs, 20);
      assertEquals(report.flip, true);
      assertEquals(report.modelInfo.channelOrder, "RGB");
      assert(s.metrics.accuracy >= 0.85, `accuracy ${s.metrics.accuracy}`);
      assert(s.metrics.auc >= 0.9, `AUC ${s.metrics.auc}`);
      assertEquals(s.metrics.collapse.collapsed, false);
      const path = await saveEvalReport(report, join(tmp, "out"));
      const back = JSON.parse(await Deno.readTextFile(path));
      assertEquals(back.sets[0].metrics.accuracy, s.metrics.accuracy);
      assertEquals(back.sets[0].metrics.foldAccuracies.length, 10);
      // FAR / TAR at the mean best threshold, for `deno task verify` (rule dist < threshold).
      const at = back.sets[0].metrics.atMeanThreshold;
      assertEquals([at.threshold, at.samePairs, at.differentPairs], [
        s.metrics.meanThreshold,
        10,
        10,
      ]);
      assertEquals(back.sets[0].alignment, undefined); // a folder set's geometry is not known
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "the collapsed MobileFaceNet fixture is flagged as collapsed",
  ignore: lfw === undefined || collapsed === undefined,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "eval_" });
    try {
      const spec = await smallSet(tmp);
      const report = await evaluateModel(collapsed!, [spec], {
        workers: 1,
        batchSize: 8,
        modelOptions: { inputScale: "0-1" },
      });
      const c = report.sets[0].metrics.collapse;
      assertEquals(c.collapsed, true);
      assert(c.stats.maxDist < 0.01, `max squared distance ${c.stats.maxDist}`);
      assert(c.reasons.some((r) => /0\.01/.test(r)), c.reasons.join("\n"));
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
