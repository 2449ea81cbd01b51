import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { join } from "node:path";
import { defaultDataRoot, repoRoot } from "../../data/data_root.ts";
import { loadProfile, PROFILE_NAMES, ProfileError, profileFile } from "./profiles.ts";

Deno.test("an unknown profile names the valid ones", () => {
  assertThrows(() => loadProfile("fast"), ProfileError, "demo, paper, tiny");
});

Deno.test("the paper profile stops at the first cell listing every missing file and how to get it", () => {
  const prev = Deno.env.get("ARCFACE_TEST_DATASET");
  Deno.env.set("ARCFACE_TEST_DATASET", "/nonexistent/test_sets");
  try {
    const e = assertThrows(() => loadProfile("paper"), ProfileError);
    for (const f of ["lfw.bin", "agedb_30.bin", "cfp_fp.bin", "model.json", "ms1m_bin.tfrecord"]) {
      assert(e.message.includes(f), `${f} not named:\n${e.message}`);
    }
    assert(
      e.message.includes("ARCFACE_TEST_DATASET") && e.message.includes("tensorflowjs_converter"),
    );
  } finally {
    if (prev === undefined) Deno.env.delete("ARCFACE_TEST_DATASET");
    else Deno.env.set("ARCFACE_TEST_DATASET", prev);
  }
});

Deno.test({
  name: "the demo profile scores trained models on pairsDevTest and the baseline also on View 2",
  ignore: defaultDataRoot() === undefined,
  fn: () => {
    const p = loadProfile("demo");
    assertEquals(p.sets.map((s) => s.spec), ["lfw-view1"]);
    assertEquals(p.baselineSets.map((s) => s.spec), ["lfw-view1", "lfw"]);
    assertEquals(p.baseline.model, "face-api");
    assert(p.secondSet.note.includes("NOT K-Face"));
  },
});

Deno.test("each profile is one file configs/profiles/<name>.yaml, and every file is a profile", async () => {
  const dir = join(repoRoot(), "configs", "profiles");
  const files = [];
  for await (const e of Deno.readDir(dir)) files.push(e.name);
  assertEquals(files.sort(), PROFILE_NAMES.map((n) => `${n}.yaml`));
  for (const n of PROFILE_NAMES) assertEquals(profileFile(n), join(dir, `${n}.yaml`));
});
