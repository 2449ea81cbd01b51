import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import {
  type CheckpointContent,
  CheckpointError,
  latestCheckpoint,
  listCheckpoints,
  type NamedArray,
  readCheckpoint,
  writeCheckpoint,
} from "./mod.ts";

function content(step: number): CheckpointContent {
  const special = new Float32Array([0, -0, 1.5e-45, 3.4028234e38, -1 / 3, NaN, Infinity, step]);
  return {
    step,
    groups: {
      model: [
        { name: "conv1/kernel", shape: [2, 2, 1, 2], values: special },
        { name: "bn/moving_mean", shape: [3], values: new Float32Array([1, 2, 3 + step]) },
        { name: "scalar", shape: [], values: new Float32Array([42]) },
      ],
      head: [{ name: "head/0", shape: [2, 0], values: new Float32Array(0) }],
      optimizer: [],
    },
    state: { epoch: 2, position: { shard: 1, offset: 17 }, rng: [1, 2, 3], loss: 1.25 },
    configYaml: `backbone: MobileFaceNet\nstep: ${step}\n`,
  };
}

async function entries(root: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(root)) names.push(e.name);
  return names.sort();
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

Deno.test("a checkpoint round-trips bit-exact arrays, shapes, groups, state and config", async () => {
  const root = await Deno.makeTempDir();
  const written = content(7);
  const dir = await writeCheckpoint(root, written);
  assertEquals(dir, join(root, "step_00000007"));
  assertEquals(await entries(root), ["latest", "step_00000007"]);
  assertEquals(await entries(dir), ["config.yaml", "manifest.json", "state.json", "weights.bin"]);
  assertEquals((await Deno.readTextFile(join(root, "latest"))).trim(), "step_00000007");
  const read = await readCheckpoint(dir);
  assertEquals(read.step, 7);
  assertEquals(read.state, written.state);
  assertEquals(read.configYaml, written.configYaml);
  assertEquals(Object.keys(read.groups), ["model", "head", "optimizer"]);
  for (const [group, arrays] of Object.entries(written.groups)) {
    const got = read.groups[group];
    assertEquals(got.map((a) => [a.name, a.shape]), arrays.map((a) => [a.name, a.shape]));
    got.forEach((a, i) => assert(sameBits(a.values, arrays[i].values), `${a.name} differs`));
  }
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  assertEquals(manifest.format, "arcface-deno-checkpoint");
  assertEquals(manifest.byteLength, (8 + 3 + 1) * 4);
  assertEquals(manifest.groups.model[1], {
    name: "bn/moving_mean",
    shape: [3],
    dtype: "float32",
    offset: 32,
    length: 3,
  });
  assertEquals((await Deno.stat(join(dir, "weights.bin"))).size, 48);
  await Deno.remove(root, { recursive: true });
});

Deno.test("arrays larger than the write chunk are written whole and in order", async () => {
  const root = await Deno.makeTempDir();
  const big = new Float32Array(1_500_000).map((_, i) => i * 0.5); // 6 MB > one 4 MiB chunk
  const small = new Float32Array([9, 8, 7]);
  const dir = await writeCheckpoint(root, {
    step: 1,
    groups: {
      g: [{ name: "small", shape: [3], values: small }, {
        name: "big",
        shape: [1500, 1000],
        values: big,
      }, {
        name: "small2",
        shape: [3],
        values: small,
      }],
    },
    state: null,
    configYaml: "",
  });
  const read = await readCheckpoint(dir);
  assert(sameBits(read.groups.g[0].values, small));
  assert(sameBits(read.groups.g[1].values, big));
  assert(sameBits(read.groups.g[2].values, small));
  await Deno.remove(root, { recursive: true });
});

Deno.test("a save that fails mid-write leaves the previous checkpoint as latest and no temp folder", async () => {
  const root = await Deno.makeTempDir();
  const first = await writeCheckpoint(root, content(1));
  const failing = content(2);
  let reads = 0;
  let sawTemp = false;
  const bomb: NamedArray = {
    name: "bomb",
    shape: [2],
    get values(): Float32Array {
      // Validation and manifest layout read it first; the weights writer reads it later.
      if (++reads > 2) {
        sawTemp = Deno.readDirSync(root).some((e) => e.name.startsWith(".step_00000002.tmp-"));
        throw new Error("ENOSPC: no space left on device (simulated)");
      }
      return new Float32Array(2);
    },
  };
  failing.groups.model.splice(1, 0, bomb);
  const err = await assertRejects(() => writeCheckpoint(root, failing), CheckpointError);
  assert(sawTemp, "the failure did not happen while the temp folder existed");
  for (
    const part of [
      "could not save checkpoint step 2 to",
      "step_00000002",
      "ENOSPC",
      "step_00000001 is intact",
      "Free disk space",
    ]
  ) assert(err.message.includes(part), `message lacks '${part}': ${err.message}`);
  assertEquals(await entries(root), ["latest", "step_00000001"]);
  assertEquals((await Deno.readTextFile(join(root, "latest"))).trim(), "step_00000001");
  assertEquals(await latestCheckpoint(root), first);
  assertEquals((await readCheckpoint(first)).step, 1);
  await Deno.remove(root, { recursive: true });
});

Deno.test("invalid content is refused before anything is written", async () => {
  const root = await Deno.makeTempDir();
  await writeCheckpoint(root, content(1));
  const wrongLength = content(2);
  wrongLength.groups.model[0].shape = [5];
  let err = await assertRejects(() => writeCheckpoint(root, wrongLength), CheckpointError);
  assert(err.message.includes("'conv1/kernel'"), err.message);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  err = await assertRejects(
    () => writeCheckpoint(root, { ...content(2), state: cyclic }),
    CheckpointError,
  );
  assert(err.message.includes("not JSON-serialisable"), err.message);
  await assertRejects(() => writeCheckpoint(root, content(-1)), CheckpointError);
  await assertRejects(() => writeCheckpoint(root, content(3), { keep: 0 }), CheckpointError);
  assertEquals(await entries(root), ["latest", "step_00000001"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("pruning keeps the newest N checkpoints and never the one just written", async () => {
  const root = await Deno.makeTempDir();
  for (const step of [10, 20, 30, 40, 50]) await writeCheckpoint(root, content(step), { keep: 2 });
  assertEquals((await listCheckpoints(root)).map((c) => c.step), [40, 50]);
  // Re-saving an older step keeps it (and the newest other one).
  await writeCheckpoint(root, content(5), { keep: 2 });
  assertEquals(await entries(root), ["latest", "step_00000005", "step_00000050"]);
  assertEquals(await latestCheckpoint(root), join(root, "step_00000005"));
  await writeCheckpoint(root, content(60), { keep: 1 });
  assertEquals(await entries(root), ["latest", "step_00000060"]);
  for (const step of [70, 80, 90, 100]) await writeCheckpoint(root, content(step));
  assertEquals((await listCheckpoints(root)).map((c) => c.step), [80, 90, 100]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("saving a step that exists replaces it; leftovers of crashed saves are cleaned", async () => {
  const root = await Deno.makeTempDir();
  await writeCheckpoint(root, content(3));
  await Deno.mkdir(join(root, ".step_00000004.tmp-99999"));
  await Deno.writeTextFile(join(root, ".step_00000004.tmp-99999", "weights.bin"), "partial");
  await Deno.writeTextFile(join(root, ".latest.tmp-99999"), "step_00000004");
  // A crash while replacing step 5: the old step 5 was set aside and not put back.
  const aside = join(root, ".step_00000005.old-99999");
  await Deno.rename(await writeCheckpoint(root, content(5)), aside);
  const replaced = content(3);
  replaced.state = { replaced: true };
  const dir = await writeCheckpoint(root, replaced, { keep: 5 });
  assertEquals(await entries(root), ["latest", "step_00000003", "step_00000005"]);
  assertEquals((await readCheckpoint(dir)).state, { replaced: true });
  assertEquals((await readCheckpoint(join(root, "step_00000005"))).step, 5);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a leftover of another live process (its save in progress) is not cleaned", async () => {
  const root = await Deno.makeTempDir();
  const live = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const inProgress = join(root, `.step_00000008.tmp-${live.pid}`);
    await Deno.mkdir(inProgress);
    await Deno.writeTextFile(join(inProgress, "weights.bin"), "being written");
    await writeCheckpoint(root, content(3));
    assertEquals(await Deno.readTextFile(join(inProgress, "weights.bin")), "being written");
  } finally {
    live.kill();
    await live.status;
    await Deno.remove(root, { recursive: true });
  }
});
