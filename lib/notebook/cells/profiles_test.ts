import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { join } from "node:path";
import { defaultDataRoot, repoRoot } from "../../data/data_root.ts";
import {
  loadProfile,
  PROFILE_NAMES,
  ProfileError,
  profileFile,
  profileMissing,
} from "./profiles.ts";

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

Deno.test("the paper profile checks only what the chosen notebooks need", async () => {
  // Section 0 where only the checkpoint and the .bin sets are: no MS1M TFRecord asked for.
  const dir = await Deno.makeTempDir();
  const saved = ["ARCFACE_TEST_DATASET", "ARCFACE_BASELINE_MODEL"].map((k) => [k, Deno.env.get(k)]);
  try {
    for (const f of ["lfw.bin", "agedb_30.bin", "cfp_fp.bin", "e_8_b_40000.ckpt.index"]) {
      await Deno.writeFile(join(dir, f), new Uint8Array(1));
    }
    Deno.env.set("ARCFACE_TEST_DATASET", dir);
    Deno.env.set("ARCFACE_BASELINE_MODEL", join(dir, "e_8_b_40000.ckpt.index"));
    assertEquals(profileMissing("paper", { notebooks: ["0_baseline"] }), []);
    const p = loadProfile("paper", { notebooks: ["0_baseline"] });
    assertEquals(p.baseline.model, join(dir, "e_8_b_40000.ckpt.index"));
    const one = profileMissing("paper", { notebooks: ["1_reproduce"] });
    assertEquals(one.length, 1, one.join("\n"));
    assert(one[0].includes("ms1m_bin.tfrecord"), one[0]);
    const all = profileMissing("paper").join("\n");
    assert(all.includes("ms1m_bin.tfrecord") && all.includes("ms1m_kface_bin.tfrecord"), all);
    // Without the model, section 0 names it, and the training notebooks do not need it.
    await Deno.remove(join(dir, "e_8_b_40000.ckpt.index"));
    const zero = profileMissing("paper", { notebooks: ["0_baseline"] });
    assertEquals(zero.length, 1, zero.join("\n"));
    assert(zero[0].includes("e_8_b_40000.ckpt.index"), zero[0]);
    assert(!profileMissing("paper", { notebooks: ["2_kface"] }).join().includes("ckpt.index"));
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k!) : Deno.env.set(k!, v);
    await Deno.remove(dir, { recursive: true });
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
