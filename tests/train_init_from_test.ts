/**
 * `init_from`: a new run starts from a TF2 checkpoint of arcface-tf2's layout (here one our
 * writer made from a tiny trained MobileNetV2 run): backbone + output layer always, the ArcHead
 * with `init_head`; another architecture is refused naming what differs.
 */
import { join } from "node:path";
import { assert, assertRejects } from "./support/assert.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { KerasCheckpointMismatchError } from "../lib/models/keras_checkpoint/mod.ts";
import { type NamedArray, readCheckpoint, trainModel } from "../lib/train/mod.ts";
import { exportTfCheckpoint } from "../lib/train/export/mod.ts";
import { makeTinyDataset, tinyConfig } from "./support/train_fixture.ts";

const dir = await Deno.makeTempDir({ prefix: "train_init_from_" });
const dataset = await makeTinyDataset(dir);
// The source run at a modest rate: at the fixture's 0.05 two steps can blow MobileNetV2 x0.35's
// weights up to ~1e17, and a checkpoint of such a model is no test of anything.
const base = {
  backbone_type: "MobileNetV2",
  width: 0.35,
  max_steps: 2,
  save_steps: 2,
  base_lr: 1e-3,
};
const source = await trainModel(parseConfig(tinyConfig(dir, dataset, { ...base, sub_name: "a" })));
const prefix = join(dir, "a.ckpt");
await exportTfCheckpoint(source.runDir, prefix);
const trained = (await readCheckpoint(source.checkpoint)).groups;

/** Largest |a - b| (relative to b's largest value) over the arrays of `a` whose name passes `pick`, matched by name. */
function maxDiff(a: NamedArray[], b: NamedArray[], pick: (name: string) => boolean): number {
  const byName = new Map(b.map((x) => [x.name, x.values]));
  let m = 0;
  for (const x of a.filter((x) => pick(x.name))) {
    const y = byName.get(x.name)!;
    // Relative to the array's largest value: one step at lr 1e-12 moves a weight by ~1e-12 |grad|.
    const scale = y.reduce((s, v) => Math.max(s, Math.abs(v)), 1e-3);
    x.values.forEach((v, i) => m = Math.max(m, Math.abs(v - y[i]) / scale));
  }
  return m;
}
const kernels = (n: string) => n.endsWith("kernel") || n.endsWith("gamma") || n.endsWith("beta");

Deno.test("init_from starts backbone + output layer (and with init_head the head) from the checkpoint", async () => {
  // A learning rate of 1e-12 for one step: the weights stay what they started from. (At 1e-9 a
  // step still moved a BN beta by ~1e-6 of its array's scale: s = 64 makes the gradients ~1e2.)
  const tiny = { ...base, max_steps: 1, save_steps: 1, base_lr: 1e-12 };
  const fresh = await trainModel(parseConfig(tinyConfig(dir, dataset, { ...tiny, sub_name: "c" })));
  const init = await trainModel(parseConfig(tinyConfig(dir, dataset, {
    ...tiny,
    sub_name: "b",
    init_from: prefix,
    init_head: true,
  })));
  const b = await readCheckpoint(init.checkpoint);
  const c = await readCheckpoint(fresh.checkpoint);
  const fromCkpt = maxDiff(b.groups.model, trained.model, kernels);
  assert(
    fromCkpt < 1e-6,
    `model started from the checkpoint (max relative difference ${fromCkpt})`,
  );
  const headDiff = maxDiff(b.groups.head, trained.head, () => true);
  assert(headDiff < 1e-6, `head started from the checkpoint (max relative difference ${headDiff})`);
  assert(maxDiff(c.groups.model, trained.model, kernels) > 1e-2, "a run without init_from differs");
  assert(b.configYaml.includes(`init_from: ${prefix}`), b.configYaml);
  // Without init_head the head starts afresh (the seed's head, as in the fresh run).
  const noHead = await trainModel(parseConfig(tinyConfig(dir, dataset, {
    ...tiny,
    sub_name: "d",
    init_from: prefix,
  })));
  const d = await readCheckpoint(noHead.checkpoint);
  assert(maxDiff(d.groups.head, c.groups.head, () => true) < 1e-6, "head as in a fresh run");
  assert(maxDiff(d.groups.head, trained.head, () => true) > 1e-2, "head not from the checkpoint");
  assert(maxDiff(d.groups.model, trained.model, kernels) < 1e-6);
});

Deno.test("init_from of another architecture is refused before training, naming the misfit", async () => {
  const e = await assertRejects(
    () =>
      trainModel(parseConfig(tinyConfig(dir, dataset, {
        ...base,
        sub_name: "e",
        embd_shape: 32,
        init_from: prefix,
      }))),
    KerasCheckpointMismatchError,
  );
  assert(e.message.includes("a.ckpt") && e.message.includes("OutputLayer/dense/kernel"), e.message);
});
