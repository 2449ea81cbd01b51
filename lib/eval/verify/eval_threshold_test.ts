import { dirname, join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import {
  EvaluationNotFoundError,
  loadVerifyThreshold,
  sameModel,
  thresholdFromReport,
} from "./eval_threshold.ts";

/** A minimal eval.json as `deno task eval` writes it (only the fields verification reads). */
function report(
  model: string,
  sets: Array<{ set: string; t: number; rates?: boolean }>,
  time = "2026-12-01T00:00:00Z",
) {
  return {
    model,
    modelInfo: { name: model, inputSize: 150, channelOrder: "RGB", backend: "wasm" },
    flip: true,
    workers: 1,
    time,
    sets: sets.map((s) => ({
      set: s.set,
      pairs: 1000,
      uniqueImages: 10,
      ...(s.set.startsWith("lfw")
        ? { alignment: { template: "arcface_96", source: "lfw_112x112" } }
        : {}),
      metrics: {
        accuracy: 0.97,
        std: 0.01,
        meanThreshold: s.t,
        bestThresholds: Array(10).fill(s.t),
        collapse: { collapsed: false, reasons: [] },
        ...(s.rates === false ? {} : {
          atMeanThreshold: {
            threshold: s.t,
            far: 0.022,
            tar: 0.966,
            falseAccepts: 11,
            differentPairs: 500,
            trueAccepts: 483,
            samePairs: 500,
          },
        }),
      },
    })),
  };
}

async function put(dir: string, name: string, r: unknown): Promise<string> {
  await Deno.mkdir(join(dir, name), { recursive: true });
  await Deno.writeTextFile(join(dir, name, "eval.json"), JSON.stringify(r));
  return join(dir, name, "eval.json");
}

Deno.test("verify threshold: from the model's eval.json by the documented rules, never a constant", async () => {
  const dir = await Deno.makeTempDir({ prefix: "verify_thr_" });
  try {
    // No evaluation at all: the named error says which command makes one.
    const e = await assertRejects(
      () => loadVerifyThreshold("face-api", { resultsDir: dir }),
      EvaluationNotFoundError,
    );
    assert(e.message.includes("deno task eval --model face-api --sets lfw"), e.message);

    await put(
      dir,
      "newer_run",
      report("face-api", [{ set: "lfw-view1", t: 0.21 }], "2026-12-02T00:00:00Z"),
    );
    await put(
      dir,
      "other_model",
      report("results/x/model.json", [{ set: "lfw", t: 1.3 }], "2026-12-03T00:00:00Z"),
    );
    // Only a non-default folder: the newest evaluation of the same model.
    let t = await loadVerifyThreshold("face-api", { resultsDir: dir });
    assertEquals([t.value, t.set, t.file], [
      0.21,
      "lfw-view1",
      join(dir, "newer_run", "eval.json"),
    ]);
    // The default folder (what `deno task eval` writes) wins over a newer one.
    const def = await put(
      dir,
      "face-api",
      report("face-api", [{ set: "lfw", t: 0.137 }, { set: "lfw-view1", t: 0.149 }]),
    );
    t = await loadVerifyThreshold(undefined, { resultsDir: dir });
    assertEquals([t.value, t.set, t.file, t.model], [0.137, "lfw", def, "face-api"]);
    assertEquals(t.rule, "mean best threshold over 10 folds");
    assertEquals(t.rates?.far, 0.022);
    assertEquals(t.rates?.tar, 0.966);
    assertEquals([t.template, t.flip], ["arcface_96", true]);
    t = await loadVerifyThreshold("face-api", { resultsDir: dir, set: "lfw-view1" });
    assertEquals(t.value, 0.149);
    // A set the default folder lacks: the search goes on to the others that have it.
    await put(dir, "zz", report("face-api", [{ set: "x.bin", t: 0.5 }]));
    t = await loadVerifyThreshold("face-api", { resultsDir: dir, set: "x.bin" });
    assertEquals([t.value, t.template], [0.5, "arcface_96"]); // unknown geometry: face-api default
    assert(t.templateSource.includes("not recorded"), t.templateSource);

    // model.json identity by resolved path (relative paths against the results folder's parent).
    t = await loadVerifyThreshold(join(dirname(dir), "results", "x", "model.json"), {
      resultsDir: dir,
    });
    assertEquals([t.value, t.template, t.file], [
      1.3,
      "arcface_96",
      join(dir, "other_model", "eval.json"),
    ]);
    assert(sameModel("results/x/model.json", "./results/x/model.json"));
    assert(!sameModel("face-api", "results/x/model.json"));

    // Explicit --eval of another model: named error.
    const e2 = await assertRejects(
      () => loadVerifyThreshold("face-api", { eval: join(dir, "other_model", "eval.json") }),
      EvaluationNotFoundError,
    );
    assert(e2.message.includes("results/x/model.json"), e2.message);
    // A missing --eval file and a missing set are named.
    const e3 = await assertRejects(
      () => loadVerifyThreshold(undefined, { eval: join(dir, "nope.json") }),
      EvaluationNotFoundError,
    );
    assert(e3.message.includes("nope.json"), e3.message);
    const e4 = await assertRejects(
      () => loadVerifyThreshold(undefined, { eval: def, set: "agedb" }),
      EvaluationNotFoundError,
    );
    assert(e4.message.includes("agedb") && e4.message.includes("lfw-view1"), e4.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verify threshold: an older eval.json without FAR/TAR says which command refreshes it; --template warns", () => {
  const old = report("face-api", [{ set: "lfw", t: 0.14, rates: false }]);
  // deno-lint-ignore no-explicit-any
  const t = thresholdFromReport(old as any, "results/face-api/eval.json");
  assertEquals(t.rates, null);
  assertEquals(
    t.refresh,
    "deno task eval --model face-api --sets lfw --name face-api --out results",
  );
  // deno-lint-ignore no-explicit-any
  const t2 = thresholdFromReport(old as any, "f.json", { template: "arcface" });
  assertEquals([t2.template, t2.templateSource], ["arcface", "--template"]);
  assert(t2.warnings.some((w) => w.includes("arcface_96")), t2.warnings.join("; "));
  const m = report("results/run/export/model.json", [{ set: "data/own.bin", t: 1.1 }]);
  // deno-lint-ignore no-explicit-any
  assertEquals(thresholdFromReport(m as any, "f.json").template, "arcface");
});
