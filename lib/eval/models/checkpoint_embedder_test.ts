import { dirname } from "node:path";
import { assertEquals } from "../../../tests/support/assert.ts";
import { arcfaceReleasedCkpt } from "../../../tests/support/shared_data.ts";
import { isTfCheckpointSpec } from "./checkpoint_embedder.ts";

Deno.test("what eval --model takes for a TF checkpoint: prefix, .index, a data file, folders", async () => {
  assertEquals(await isTfCheckpointSpec("face-api"), false);
  assertEquals(await isTfCheckpointSpec("results/run/export/model.json"), false);
  assertEquals(await isTfCheckpointSpec("x/e_8_b_40000.ckpt"), true);
  assertEquals(await isTfCheckpointSpec("x/e_8_b_40000.ckpt.index"), true);
  assertEquals(await isTfCheckpointSpec("x/e_8_b_40000.ckpt.data-00000-of-00002"), true);
  assertEquals(await isTfCheckpointSpec("/nonexistent/folder"), false);
  const released = arcfaceReleasedCkpt();
  if (released) assertEquals(await isTfCheckpointSpec(dirname(released)), true);
});
