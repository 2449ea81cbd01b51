import { join } from "node:path";
import { assertEquals } from "../../tests/support/assert.ts";
import { repoRoot } from "../io/repo_root.ts";
import { configCase, standardCase } from "./bench_cases.ts";

Deno.test("configCase: the demo's MobileFaceNet as configs/demo_mfn.yaml trains it", async () => {
  const c = await configCase(join(repoRoot(), "configs", "demo_mfn.yaml"));
  assertEquals(
    [c.label, c.network, c.batch, c.microBatch],
    ["MobileFaceNet (demo_mfn)", "MobileFaceNet", 64, 32],
  );
  assertEquals(
    [c.spec.width, c.spec.embdShape, c.spec.numClasses, c.spec.decayAll, c.spec.modelWDecay],
    [0.5, 128, 1184, 5e-4, 0],
  );
});

Deno.test("standardCase: the bench defaults (embedding 128 for MobileFaceNet, 512 else)", () => {
  const m = standardCase("MobileFaceNet", { batch: 8, classes: 1000 });
  const r = standardCase("ResNet50", { batch: 8, classes: 1000 });
  assertEquals([m.label, m.batch, m.microBatch, m.spec.embdShape, m.spec.width], [
    "MobileFaceNet",
    8,
    8,
    128,
    1,
  ]);
  assertEquals([r.spec.embdShape, r.spec.numClasses, r.spec.modelWDecay, r.spec.decayAll], [
    512,
    1000,
    5e-4,
    0,
  ]);
});
