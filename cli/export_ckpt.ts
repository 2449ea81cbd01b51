/**
 * `deno task export-ckpt <source> <out.ckpt> [--no-head] [--shards N] [--backend B]`
 *
 * Writes one of our trained ResNet50 / MobileNetV2 models (a run folder: its latest checkpoint,
 * with the ArcHead; a `checkpoints/step_N` folder; or an exported `model.json`) as a TensorFlow 2
 * checkpoint under arcface-tf2's layout (`<out>.index` + `<out>.data-*`, Keras' object graph,
 * TF's `checkpoint` state file), for arcface-tf2 / TensorFlow to continue from; `deno task eval
 * --model <out>` reads it back. See docs/tf_checkpoint.md.
 *
 * @module
 */
import { setupBackend } from "../lib/backend/mod.ts";
import { exportTfCheckpoint } from "../lib/train/export/mod.ts";
import { intOption, parseCliOrHelp, runCli } from "./cli_main.ts";

const USAGE =
  `Usage: deno task export-ckpt <source> <out.ckpt> [--no-head] [--shards N] [--backend B]

  source      a run folder (results/<sub_name>: its latest checkpoint, ArcHead included),
              a checkpoint folder (results/<sub_name>/checkpoints/step_N), or an exported
              model (results/<sub_name>/export/model.json: no head)
  out.ckpt    the checkpoint prefix to write: <out.ckpt>.index and <out.ckpt>.data-*
  --no-head   leave the ArcHead out (arcface-tf2's inference model)
  --shards N  data shards to write (default 1)
Writes arcface-tf2's layout (backbone = layer_with_weights-0, output layer = -1, ArcHead = -2)
with the object graph Keras' save_weights writes, and TF's 'checkpoint' file beside it (so
tf.train.latest_checkpoint finds it). See docs/tf_checkpoint.md.`;

await runCli("export-ckpt", USAGE, async (args) => {
  const { values, positionals } = parseCliOrHelp(args, {
    "no-head": { type: "boolean", default: false },
    shards: { type: "string" },
    backend: { type: "string" },
  }, { minPositionals: 2, maxPositionals: 2, positionalsHint: "<source> and <out.ckpt>" });
  const numShards = intOption("shards", values.shards as string | undefined, { min: 1 });
  await setupBackend(values.backend as string | undefined);
  const r = await exportTfCheckpoint(positionals[0], positionals[1], {
    noHead: values["no-head"] as boolean,
    numShards,
  });
  console.log(
    `wrote ${r.prefix} (.index + .data-*): ${r.variables} variables, ${r.backbone}, ` +
      `embd ${r.embdShape}${r.numClasses ? `, ArcHead [${r.embdShape}, ${r.numClasses}]` : ""}` +
      ` from ${r.source}`,
  );
});
