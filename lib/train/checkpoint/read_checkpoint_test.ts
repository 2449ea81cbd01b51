import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import {
  CheckpointError,
  isCompleteCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  readCheckpoint,
  writeCheckpoint,
} from "./mod.ts";

async function save(root: string, step: number): Promise<string> {
  return await writeCheckpoint(root, {
    step,
    groups: { model: [{ name: "w", shape: [2, 3], values: new Float32Array(6).fill(step) }] },
    state: { step },
    configYaml: "a: 1\n",
  }, { keep: 10 });
}

async function truncate(path: string, bytes: number): Promise<void> {
  const f = await Deno.open(path, { write: true });
  await f.truncate(bytes);
  f.close();
}

async function rejectsWith(dir: string, ...parts: string[]): Promise<void> {
  const err = await assertRejects(() => readCheckpoint(dir), CheckpointError);
  for (const p of parts) assert(err.message.includes(p), `message lacks '${p}': ${err.message}`);
}

Deno.test("latestCheckpoint follows 'latest', and falls back past an incomplete folder", async () => {
  const root = await Deno.makeTempDir();
  assertEquals(await latestCheckpoint(join(root, "missing")), undefined);
  assertEquals(await latestCheckpoint(root), undefined);
  const s1 = await save(root, 1);
  const s2 = await save(root, 2);
  assertEquals(await latestCheckpoint(root), s2);
  await truncate(join(s2, "weights.bin"), 10);
  assert(!(await isCompleteCheckpoint(s2)));
  assertEquals(await latestCheckpoint(root), s1);
  assertEquals((await listCheckpoints(root)).map((c) => c.name), ["step_00000001"]);
  // Without (or with a bad) 'latest', the newest complete folder wins.
  const s3 = await save(root, 3);
  await Deno.writeTextFile(join(root, "latest"), "../elsewhere\n");
  assertEquals(await latestCheckpoint(root), s3);
  await Deno.remove(join(root, "latest"));
  assertEquals(await latestCheckpoint(root), s3);
  await Deno.remove(join(s3, "state.json"));
  assertEquals(await latestCheckpoint(root), s1);
  await Deno.remove(root, { recursive: true });
});

Deno.test("readCheckpoint names the file and the problem of a damaged checkpoint", async () => {
  const root = await Deno.makeTempDir();
  const dir = await save(root, 4);
  const manifestPath = join(dir, "manifest.json");
  const manifest = await Deno.readTextFile(manifestPath);

  await truncate(join(dir, "weights.bin"), 20);
  await rejectsWith(dir, join(dir, "weights.bin"), "truncated", "20 bytes", "24");

  await Deno.writeTextFile(manifestPath, manifest.slice(0, 30));
  await rejectsWith(dir, manifestPath, "not valid JSON");

  await Deno.writeTextFile(manifestPath, JSON.stringify({ format: "keras", version: 1 }));
  await rejectsWith(dir, manifestPath, "'format' is \"keras\"");

  const m = JSON.parse(manifest);
  await Deno.writeTextFile(manifestPath, JSON.stringify({ ...m, version: 2 }));
  await rejectsWith(dir, manifestPath, "'version' is 2");

  m.groups.model[0].shape = [2, 2];
  await Deno.writeTextFile(manifestPath, JSON.stringify(m));
  await rejectsWith(dir, manifestPath, "'w'", "length 6 but shape [2,2]");

  await Deno.remove(manifestPath);
  await rejectsWith(dir, manifestPath, "does not exist");
  await rejectsWith(root, join(root, "manifest.json"), "does not exist");
  await Deno.remove(root, { recursive: true });
});

Deno.test("readCheckpoint reports a bad state.json", async () => {
  const root = await Deno.makeTempDir();
  const dir = await save(root, 5);
  assertEquals((await readCheckpoint(dir)).state, { step: 5 });
  await Deno.writeTextFile(join(dir, "state.json"), "{");
  await rejectsWith(dir, join(dir, "state.json"), "not valid JSON");
  await Deno.remove(root, { recursive: true });
});
