/**
 * `deno task eval --model M [--sets lfw,lfw-view1,x.bin,folder:pairs.txt] [--name N]
 *   [--no-flip] [--batch 16] [--workers N] [--backend auto] [--input-scale 0-1|0-255|-1-1]
 *   [--save-embeddings] [--out results]`
 *
 * Evaluates a face model (`face-api` for the packaged dlib ResNet-34 baseline, or a TF.js
 * model.json: layers or graph) with the insightface verification protocol, prints a table and
 * saves `<out>/<name>/eval.json`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join } from "node:path";
import { evaluateModel, saveEvalReport } from "../lib/eval/mod.ts";
import { createStatusLine } from "./status_line.ts";
import { textTable } from "../lib/notebook/display/text_table.ts";

const USAGE =
  `usage: deno task eval --model <face-api | path/to/model.json> [--sets lfw,lfw-view1,x.bin,dir:pairs.txt]
  [--name N] [--no-flip] [--batch 16] [--workers N] [--backend auto|wasm|...] [--input-scale 0-1|0-255|-1-1]
  [--save-embeddings] [--out results]`;

function usage(message: string): never {
  console.error(`eval: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    args: Deno.args,
    options: {
      model: { type: "string" },
      sets: { type: "string", default: "lfw" },
      name: { type: "string" },
      "no-flip": { type: "boolean", default: false },
      batch: { type: "string", default: "16" },
      workers: { type: "string" },
      backend: { type: "string" },
      "input-scale": { type: "string" },
      "save-embeddings": { type: "boolean", default: false },
      out: { type: "string", default: "results" },
    },
  }));
} catch (e) {
  usage((e as Error).message);
}
if (!values.model) usage("--model is required");
const batchSize = Number(values.batch);
if (!Number.isInteger(batchSize) || batchSize < 1) usage("--batch must be a positive integer");
const workers = values.workers === undefined ? undefined : Number(values.workers);
if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
  usage("--workers must be a positive integer");
}
const name = values.name ??
  (values.model === "face-api" ? "face-api" : basename(dirname(values.model)) || "model");
const sets = values.sets.split(",").map((s) => s.trim()).filter(Boolean);

const status = createStatusLine();
const report = await evaluateModel(values.model, sets, {
  flip: !values["no-flip"],
  batchSize,
  workers,
  backend: values.backend,
  modelOptions: values["input-scale"] ? { inputScale: values["input-scale"] } : undefined,
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
}).catch((e) => {
  console.error(`\neval: ${(e as Error).message}`);
  Deno.exit(1);
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
const path = await saveEvalReport(report, join(values.out, name));
console.log(`\nsaved ${path}`);
