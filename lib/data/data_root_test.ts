import { join } from "node:path";
import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import {
  DATA_ROOT_ENV_VAR,
  DataRootError,
  defaultDataRoot,
  repoRoot,
  requireDataRoot,
} from "./data_root.ts";

Deno.test("data root: env override, else ../shared/data beside the repo when present", () => {
  const saved = Deno.env.get(DATA_ROOT_ENV_VAR);
  try {
    Deno.env.set(DATA_ROOT_ENV_VAR, "/tmp/some/where");
    assertEquals(defaultDataRoot(), "/tmp/some/where");
    assertThrows(() => requireDataRoot("nothing_here_xyz"), DataRootError);
    Deno.env.delete(DATA_ROOT_ENV_VAR);
    const expected = join(repoRoot(), "..", "shared", "data");
    let exists = false;
    try {
      exists = Deno.statSync(expected).isDirectory;
    } catch { /* absent */ }
    assertEquals(defaultDataRoot(), exists ? expected : undefined);
  } finally {
    if (saved === undefined) Deno.env.delete(DATA_ROOT_ENV_VAR);
    else Deno.env.set(DATA_ROOT_ENV_VAR, saved);
  }
});
