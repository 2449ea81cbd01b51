/**
 * `deno task eval --model M [--sets lfw,lfw-view1,x.bin,folder:pairs.txt] [--name N]
 *   [--no-flip] [--batch 16] [--workers N] [--backend auto] [--input-scale 0-1|0-255|-1-1]
 *   [--backbone ResNet50|MobileNetV2] [--save-embeddings] [--out results]`
 *
 * Evaluates a face model (`face-api` for the packaged dlib ResNet-34 baseline, a TF.js
 * model.json: layers or graph, or a TensorFlow 2 checkpoint of arcface-tf2's model: `x.ckpt`, a
 * folder with TF's `checkpoint` file, a SavedModel folder) with the insightface verification
 * protocol, prints a table and saves `<out>/<name>/eval.json`.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { evaluateModel, saveEvalReport } from "../lib/eval/mod.ts";
import { INPUT_SCALES } from "../lib/eval/models/embedder.ts";
import { readLocalModel } from "../lib/eval/models/model_files.ts";
import { isTfCheckpointSpec } from "../lib/eval/models/checkpoint_embedder.ts";
import { openCheckpoint } from "../lib/data/tf_checkpoint/mod.ts";
import { checkArcFaceTf2Backbone } from "../lib/models/keras_checkpoint/arcface_tf2.ts";
import { checkCheckpointShards } from "../lib/models/keras_checkpoint/mod.ts";
import { createStatusLine } from "./status_line.ts";
import { guardCli, intOption, parseCliOrHelp, UsageError } from "./cli_main.ts";
import { textTable } from "../lib/format/text_table.ts";

const USAGE =
  `usage: deno task eval --model <face-api | path/to/model.json | x.ckpt | ckpt folder | saved_model>
  [--sets lfw,lfw-view1,x.bin,dir:pairs.txt] [--name N] [--no-flip] [--batch 16] [--workers N]
  [--backend auto|wasm|...] [--input-scale 0-1|0-255|-1-1] [--backbone ResNet50|MobileNetV2]
  [--save-embeddings] [--out results]`;

const status = createStatusLine();
guardCli("eval", USAGE, { beforeExit: () => status.done() });
const { values } = parseCliOrHelp(Deno.args, {
  model: { type: "string" },
  sets: { type: "string", default: "lfw" },
  name: { type: "string" },
  "no-flip": { type: "boolean", default: false },
  batch: { type: "string", default: "16" },
  workers: { type: "string" },
  backend: { type: "string" },
  "input-scale": { type: "string" },
  backbone: { type: "string" },
  "save-embeddings": { type: "boolean", default: false },
  out: { type: "string", default: "results" },
});
const model = values.model;
if (!model) {
  throw new UsageError("--model is required (face-api, a path to model.json or a TF checkpoint)");
}
const batchSize = intOption("batch", values.batch, { min: 1 })!;
const workers = intOption("workers", values.workers, { min: 1 });
const name = values.name ??
  (model === "face-api" ? "face-api" : basename(dirname(model)) || "model");
const sets = values.sets!.split(",").map((s) => s.trim()).filter(Boolean);
const inputScale = values["input-scale"];
if (inputScale !== undefined && !(INPUT_SCALES as readonly string[]).includes(inputScale)) {
  throw new UsageError(
    `--input-scale must be one of ${INPUT_SCALES.join(", ")}, got '${inputScale}'`,
  );
}
if (sets.length === 0) throw new UsageError(`--sets is empty; e.g. --sets lfw,lfw-view1`);

// A model.json that is missing, not a model or has truncated weights fails here, before the
// sets' images are read (minutes for LFW) and before any worker starts.
if (model.endsWith(".json")) await readLocalModel(model);
const backbone = values.backbone;
if (backbone !== undefined) {
  if (backbone !== "ResNet50" && backbone !== "MobileNetV2") {
    throw new UsageError(`--backbone must be ResNet50 or MobileNetV2, got '${backbone}'`);
  }
}
if (await isTfCheckpointSpec(model)) {
  // The index says whether this is an arcface-tf2 model and whether its data shards are there:
  // fail here, before the sets' images are read (each worker then checks the full mapping).
  const ckpt = await openCheckpoint(model);
  checkArcFaceTf2Backbone(ckpt, backbone);
  checkCheckpointShards(ckpt, ckpt.variables.filter((v) => v.kind === "model").map((v) => v.entry));
}
const modelOptions: Record<string, unknown> = {
  ...(values["input-scale"] ? { inputScale: values["input-scale"] } : {}),
  ...(backbone ? { backbone } : {}),
};

const report = await evaluateModel(model, sets, {
  flip: !values["no-flip"],
  batchSize,
  workers,
  backend: values.backend,
  modelOptions: Object.keys(modelOptions).length ? modelOptions : undefined,
  keepEmbeddings: values["save-embeddings"],
  onProgress: (p) => {
    const last = p.done === p.total;
    if (p.phase === "load") status.update(`${p.set}: reading images ${p.done}/${p.total}`, last);
    else {
      const eta = p.imagesPerSec ? (p.total - p.done) / p.imagesPerSec : 0;
      status.update(
        `${p.set}: embedding ${p.done}/${p.total}, ${p.imagesPerSec?.toFixed(1)} img/s, ETA ${
          eta.toFixed(0)
        } s`,
        last,
      );
    }
  },
});
status.done();

const m = report.modelInfo;
console.log(
  `model ${report.model} (${m.name}, input ${m.inputSize}x${m.inputSize} ${m.channelOrder}), ` +
    `backend ${m.backend}, ${report.workers} workers, flip ${report.flip ? "on" : "off"}`,
);
const pct = (x: number) => (100 * x).toFixed(2);
const header = [
  "set",
  "pairs",
  "accuracy %",
  "threshold",
  "AUC",
  "TAR@FAR=1e-3",
  "TAR@FAR=1e-4",
  "XNorm",
  "img/s",
];
const rows = report.sets.map((s) => [
  s.set,
  String(s.pairs),
  `${pct(s.metrics.accuracy)} +- ${pct(s.metrics.std)}`,
  s.metrics.meanThreshold.toFixed(3),
  s.metrics.auc.toFixed(4),
  pct(s.metrics.tarAtFar["1e-3"].tar),
  pct(s.metrics.tarAtFar["1e-4"].tar),
  s.metrics.xnorm === null ? "-" : s.metrics.xnorm.toFixed(2),
  s.imagesPerSec.toFixed(1),
]);
console.log(textTable(header, rows));
for (const s of report.sets) {
  if (s.metrics.collapse.collapsed) {
    console.log(`\n!!! ${s.set}: THE MODEL'S EMBEDDINGS HAVE COLLAPSED !!!`);
    for (const reason of s.metrics.collapse.reasons) console.log(`!!! ${reason}`);
  }
}
const path = await saveEvalReport(report, join(values.out!, name));
console.log(`\nsaved ${path}`);
