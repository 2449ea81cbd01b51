/**
 * Our models out to TF2 checkpoints under arcface-tf2's layout and back: a tiny trained
 * MobileNetV2 run -> `exportTfCheckpoint` / `deno task export-ckpt` -> our reader -> the
 * checkpoint embedder (what `eval --model x.ckpt` loads) gives the run's own embeddings.
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { openCheckpoint, readTensor } from "../lib/data/tf_checkpoint/mod.ts";
import { loadEmbedder } from "../lib/eval/mod.ts";
import { inferArcFaceTf2Architecture } from "../lib/models/keras_checkpoint/mod.ts";
import { readCheckpoint, trainModel } from "../lib/train/mod.ts";
import { exportTfCheckpoint } from "../lib/train/export/mod.ts";
import { makeTinyDataset, tinyConfig } from "./support/train_fixture.ts";

const dir = await Deno.makeTempDir({ prefix: "tf_ckpt_export_" });
const dataset = await makeTinyDataset(dir);
const config = parseConfig(tinyConfig(dir, dataset, {
  sub_name: "mbv2",
  backbone_type: "MobileNetV2",
  width: 0.35,
  max_steps: 2,
  save_steps: 2,
}));
const run = await trainModel(config);

async function maxDiffOfEmbeddings(a: string, b: string): Promise<number> {
  const [ea, eb] = [await loadEmbedder(a), await loadEmbedder(b)];
  try {
    assertEquals([ea.inputSize, ea.embeddingSize], [eb.inputSize, eb.embeddingSize]);
    const x = tf.randomUniform([3, ea.inputSize, ea.inputSize, 3], 0, 1, "float32", 7);
    const [ya, yb] = [ea.embed(x as tf.Tensor4D), eb.embed(x as tf.Tensor4D)];
    const [da, db] = [await ya.data() as Float32Array, await yb.data() as Float32Array];
    tf.dispose([x, ya, yb]);
    return da.reduce((m, v, i) => Math.max(m, Math.abs(v - db[i])), 0);
  } finally {
    ea.dispose();
    eb.dispose();
  }
}

Deno.test("a trained MobileNetV2 run -> TF checkpoint -> the same embeddings and head", async () => {
  const prefix = join(dir, "out", "e_1_b_2.ckpt");
  await Deno.mkdir(join(dir, "out"));
  const r = await exportTfCheckpoint(run.runDir, prefix);
  assertEquals([r.backbone, r.embdShape, r.numClasses], ["MobileNetV2", 16, 6]);
  const ckpt = await openCheckpoint(prefix);
  assertEquals(inferArcFaceTf2Architecture(ckpt), {
    backbone: "MobileNetV2",
    embdShape: 16,
    width: 0.35,
    inputSize: 32,
    numClasses: 6,
  });
  assertEquals(ckpt.variables.filter((v) => v.kind === "model").length, r.variables);
  assert(ckpt.objectGraph !== undefined, "object graph written");
  // The head's W comes back bit for bit.
  const saved = await readCheckpoint(run.checkpoint);
  const w = await readTensor(
    ckpt,
    "layer_with_weights-2/layer_with_weights-0/weights/.ATTRIBUTES/VARIABLE_VALUE",
  );
  assertEquals(Array.from(w as Float32Array), Array.from(saved.groups.head[0].values));
  // What eval --model x.ckpt loads embeds as the run's exported model.json does.
  const diff = await maxDiffOfEmbeddings(prefix, run.exportPath);
  assert(diff <= 1e-6, `max |difference| ${diff}`);
  // The export writes TF's `checkpoint` state file (as save_weights does; arcface-tf2 finds its
  // checkpoint through it), so the folder names the prefix.
  assertEquals(
    await Deno.readTextFile(join(dir, "out", "checkpoint")),
    'model_checkpoint_path: "e_1_b_2.ckpt"\nall_model_checkpoint_paths: "e_1_b_2.ckpt"\n',
  );
  assert(await maxDiffOfEmbeddings(join(dir, "out"), run.exportPath) <= 1e-6);
});

Deno.test("an exported model.json -> TF checkpoint without a head, 2 shards", async () => {
  const prefix = join(dir, "out2", "model.ckpt");
  await Deno.mkdir(join(dir, "out2"));
  const r = await exportTfCheckpoint(run.exportPath, prefix, { numShards: 2 });
  assertEquals(r.numClasses, undefined);
  const ckpt = await openCheckpoint(prefix);
  assertEquals(ckpt.numShards, 2);
  assertEquals(inferArcFaceTf2Architecture(ckpt).numClasses, undefined);
  assert(await maxDiffOfEmbeddings(prefix, run.exportPath) <= 1e-6);
});

Deno.test("deno task export-ckpt: --help, a usage error, a run exported", async () => {
  const cli = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../cli/export_ckpt.ts", import.meta.url).pathname, ...args],
      env: { NO_COLOR: "1", ARCFACE_BACKEND: "wasm" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, text };
  };
  const help = await cli("--help");
  assertEquals(help.code, 0);
  assert(help.text.includes("export-ckpt <source> <out.ckpt>"), help.text);
  const usage = await cli(run.runDir);
  assertEquals(usage.code, 2, usage.text);
  const nothing = await cli(join(dir, "faces"), join(dir, "x.ckpt"));
  assertEquals(nothing.code, 1, nothing.text);
  assert(nothing.text.includes("nothing to export"), nothing.text);
  const prefix = join(dir, "cli.ckpt");
  const ok = await cli(run.runDir, prefix);
  assertEquals(ok.code, 0, ok.text);
  assert(ok.text.includes(`wrote ${prefix}`) && ok.text.includes("ArcHead [16, 6]"), ok.text);
  assertEquals((await openCheckpoint(prefix)).numShards, 1);
});
