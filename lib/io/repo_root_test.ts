import { assert, assertEquals } from "../../tests/support/assert.ts";
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { repoRoot } from "./repo_root.ts";

Deno.test("repoRoot is the absolute folder holding deno.json and lib/, whatever the cwd", () => {
  const root = repoRoot();
  assert(isAbsolute(root));
  assert(existsSync(join(root, "deno.json")));
  assert(existsSync(join(root, "lib", "io", "repo_root.ts")));
  const cwd = Deno.cwd();
  try {
    Deno.chdir(Deno.env.get("TMPDIR") ?? "/tmp");
    assertEquals(repoRoot(), root);
  } finally {
    Deno.chdir(cwd);
  }
});
