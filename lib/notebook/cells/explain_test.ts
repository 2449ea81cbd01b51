import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { loadConfig } from "../../config/mod.ts";
import type { EvalReport } from "../../eval/mod.ts";
import { repoRoot } from "../../io/repo_root.ts";
import { arcfaceExplanation, thresholdExplanation } from "./explain.ts";

const text = (d: { bundle: Record<string, unknown> }) => d.bundle["text/markdown"] as string;
const config = await loadConfig(join(repoRoot(), "configs", "nb_tiny_reproduce.yaml"));

Deno.test("the ArcFace explanation takes margin, scale and sizes from the config", () => {
  const a = text(arcfaceExplanation(config));
  assert(
    a.includes(`m = ${config.margin} rad (28.6°)`) && a.includes(`s = ${config.logit_scale}`),
    a,
  );
  assert(a.includes(`(${config.num_classes.toLocaleString("en-US")} of them)`), a);
  const b = text(arcfaceExplanation({ ...config, margin: 0.3, logit_scale: 30, num_classes: 7 }));
  assert(b.includes("m = 0.3 rad (17.2°)") && b.includes("s = 30") && b.includes("(7 of them)"), b);
  assert(b.includes("cos(π − m) = -0.955"), b);
  const plain = text(arcfaceExplanation({ ...config, head_type: "NormHead" }));
  assert(plain.includes("no angular margin") && !plain.includes("θ_y"), plain);
});

Deno.test("the threshold explanation is written from the report's folds and thresholds", () => {
  const metrics = {
    bestThresholds: [1.1, 1.2, 1.3, 1.2, 1.2],
    meanThreshold: 1.2,
    accuracy: 0.9,
    std: 0.01,
  };
  const report = {
    flip: true,
    sets: [{ set: "lfw-view1", pairs: 1000, metrics }],
  } as unknown as EvalReport;
  const t = text(thresholdExplanation(report));
  assert(t.includes("cut into 5 folds") && t.includes("on the other 4 folds"), t);
  assert(t.includes("400 thresholds 0.00, 0.01, …, 3.99"), t);
  assert(t.includes("its mirror image"), t);
  assertEquals(
    t.split("\n").at(-1),
    "| lfw-view1 | 1000 | 5 | 1.10 – 1.30 | 1.200 | 90.00 ± 1.00 |",
  );
});
