import { join } from "node:path";
import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { repoRoot } from "../../data/data_root.ts";
import { ProfileError } from "./profile_error.ts";
import { readProfileFile } from "./profile_file.ts";

const DEMO = join(repoRoot(), "configs", "profiles", "demo.yaml");

/** Writes `text` to a temp file, runs `fn` on its path, removes it. */
function withFile(text: string, fn: (path: string) => void): void {
  const path = Deno.makeTempFileSync({ suffix: ".yaml" });
  try {
    Deno.writeTextFileSync(path, text);
    fn(path);
  } finally {
    Deno.removeSync(path);
  }
}

Deno.test("a profile file is read with its YAML anchors resolved", () => {
  const f = readProfileFile(DEMO);
  assertEquals(f.sets.map((s) => s.spec), ["lfw-view1"]);
  assertEquals(f.baseline_sets?.map((s) => s.spec), ["lfw-view1", "lfw"]);
  assertEquals(f.baseline_sets?.[0], f.sets[0]);
});

Deno.test("an unknown profile key is an error naming the file, the key and the known ones", () => {
  const demo = Deno.readTextFileSync(DEMO);
  withFile(demo + "\nbaseline_set: []\n", (path) => {
    const e = assertThrows(() => readProfileFile(path), ProfileError);
    assert(e.message.startsWith(`${path}: 'baseline_set' is not a profile key`), e.message);
    assert(e.message.includes("baseline_sets"), e.message);
  });
  withFile(demo.replace("  results_name:", "  result_name: x\n  results_name:"), (path) => {
    const e = assertThrows(() => readProfileFile(path), ProfileError);
    assert(e.message.includes("'baseline.result_name' is not a profile key"), e.message);
  });
});

Deno.test("a profile value of the wrong type or a missing key is an error naming the key", () => {
  const demo = Deno.readTextFileSync(DEMO);
  withFile(demo.replace("log_key: lfw", "log_key: LFW"), (path) => {
    const e = assertThrows(() => readProfileFile(path), ProfileError);
    assert(e.message.includes("'sets[0].log_key' must be one of"), e.message);
  });
  withFile(demo.replace(/^kface_config:.*$/m, ""), (path) => {
    assertThrows(() => readProfileFile(path), ProfileError, "'kface_config' is missing");
  });
  withFile(demo.replace(/^description:.*$/m, "description: 3"), (path) => {
    assertThrows(() => readProfileFile(path), ProfileError, "'description' must be a non-empty");
  });
  withFile("sets: [\n", (path) => {
    assertThrows(() => readProfileFile(path), ProfileError, "not valid YAML");
  });
});
