/**
 * `deno task bench`: training-step and inference images/s and peak memory of every network,
 * plus the largest batch each trains at (probed in child processes, since a wasm heap that
 * runs out of memory cannot be reused).
 *
 * Usage: deno task bench [--networks ResNet50,MobileNetV2,MobileFaceNet] [--batch 8]
 *        [--seconds 10] [--classes 1000] [--backend auto] [--no-max-batch] [--replicas N]
 *        [--out results/bench]
 *
 * `--replicas N` (default: the number of cores) also measures N training replicas at once (one
 * Worker each, through the trainer's replica pool and training step, `batch` images each: how
 * `train_workers: N` trains) and N inference replicas at once, one process each (wasm runs one
 * thread per instance); 1 turns both off.
 *
 * @module
 */
import { join } from "node:path";
import { setupBackend } from "../lib/backend/mod.ts";
import { guardCli, intOption, numberOption, parseCliOrHelp, UsageError } from "./cli_main.ts";
import { textTable } from "../lib/notebook/display/text_table.ts";
import { BACKBONE_NAMES, type BackboneName } from "../lib/models/mod.ts";
import {
  measureInference,
  measureParallelInference,
  measureTraining,
  probeMaxBatch,
  type ThroughputResult,
} from "../lib/bench/mod.ts";

const USAGE = `Usage: deno task bench [--networks ${BACKBONE_NAMES.join(",")}] [--batch 8]
         [--seconds 10] [--classes 1000] [--backend auto] [--no-max-batch] [--replicas N]
         [--out results/bench]`;

guardCli("bench", USAGE);
const { values } = parseCliOrHelp(Deno.args, {
  networks: { type: "string", default: BACKBONE_NAMES.join(",") },
  batch: { type: "string", default: "8" },
  seconds: { type: "string", default: "10" },
  classes: { type: "string", default: "1000" },
  backend: { type: "string" },
  "no-max-batch": { type: "boolean", default: false },
  replicas: { type: "string", default: String(navigator.hardwareConcurrency || 2) },
  out: { type: "string", default: "results/bench" },
});

const networks = values.networks.split(",").map((s) => s.trim()).filter(Boolean);
for (const n of networks) {
  if (!(BACKBONE_NAMES as readonly string[]).includes(n)) {
    throw new UsageError(`unknown network '${n}'. Valid: ${BACKBONE_NAMES.join(", ")}.`);
  }
}
const batch = intOption("batch", values.batch, { min: 1 })!;
const seconds = numberOption("seconds", values.seconds, { min: 0, exclusiveMin: true })!;
const classes = intOption("classes", values.classes, { min: 2 })!;
const replicas = intOption("replicas", values.replicas, { min: 1 })!;

const backend = await setupBackend(values.backend);

const mib = (b: number | null) => b === null || Number.isNaN(b) ? "-" : (b / 2 ** 20).toFixed(0);
console.log(`backend: ${backend.name} (${backend.reason})`);
if (backend.registeredKernels.length) {
  console.log(`registered kernels: ${backend.registeredKernels.join(", ")}`);
}
console.log(
  `batch ${batch}, input 112x112, ArcHead ${classes} classes, SGD momentum 0.9 (Nesterov); ` +
    `each measure runs >= ${seconds}s after 2 warm-up steps; "train xN replicas": N Workers, ` +
    `${batch} images each per step (as train_workers: N)\n`,
);

await Deno.mkdir(values.out, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outFile = join(values.out, `bench_${stamp}.jsonl`);
type Row = ThroughputResult & {
  maxTrainBatch?: number | null;
  failedAt?: number | null;
  replicas?: number;
  perReplica?: number[];
};
const rows: Row[] = [];
const progress = (label: string) => (step: number, ms: number) => {
  const line = `  ${label}: step ${step}, ${(ms / 1000).toFixed(2)} s/step`;
  Deno.stderr.writeSync(new TextEncoder().encode(`\r${line.padEnd(60)}`));
};
const clear = () => Deno.stderr.writeSync(new TextEncoder().encode(`\r${" ".repeat(60)}\r`));

for (const network of networks as BackboneName[]) {
  const train = await measureTraining(network, {
    batch,
    numClasses: classes,
    seconds,
    onStep: progress(`${network} train`),
  });
  clear();
  const infer = await measureInference(network, {
    batch,
    seconds: Math.max(3, seconds / 2),
    onStep: progress(`${network} infer`),
  });
  clear();
  let maxBatch: { largest: number | null; failedAt: number | null } | null = null;
  if (!values["no-max-batch"]) {
    maxBatch = await probeMaxBatch(network, {
      start: batch,
      classes,
      backend: backend.name,
      onProbe: (b, ok) => console.error(`  ${network}: batch ${b} ${ok ? "trains" : "fails"}`),
    });
  }
  const measured: Row[] = [
    { ...train, maxTrainBatch: maxBatch?.largest ?? null, failedAt: maxBatch?.failedAt ?? null },
    { ...infer, replicas: 1 },
  ];
  if (replicas > 1) {
    const group = await measureTraining(network, {
      batch,
      numClasses: classes,
      seconds,
      replicas,
      backend: backend.name,
      onStep: progress(`${network} train x${replicas}`),
    });
    clear();
    measured.push({ ...group, modelParams: train.modelParams, replicas });
    console.error(`  ${network}: ${replicas} inference replicas at once...`);
    const par = await measureParallelInference(network, {
      replicas,
      batch,
      seconds: Math.max(3, seconds / 2),
      backend: backend.name,
    });
    measured.push({
      ...infer,
      imagesPerSec: par.imagesPerSec,
      replicas,
      perReplica: par.perReplica,
      steps: NaN,
      medianStepMs: NaN,
    });
  }
  for (const row of measured) {
    rows.push(row);
    await Deno.writeTextFile(outFile, JSON.stringify({ ...row, time: stamp }) + "\n", {
      append: true,
    });
  }
}

const header = [
  "network",
  "mode",
  "img/s",
  "ms/step",
  "peak tensors MiB",
  "wasm heap MiB",
  "max batch",
];
const table = rows.map((r) => [
  r.network,
  (r.replicas ?? 1) > 1
    ? (r.mode === "infer" ? `infer x${r.replicas} processes` : `train x${r.replicas} replicas`)
    : r.mode,
  r.imagesPerSec.toFixed(2),
  Number.isNaN(r.medianStepMs) ? "-" : r.medianStepMs.toFixed(0),
  mib(r.peakTensorBytes),
  mib(r.wasmHeapBytes),
  r.mode === "train" && (r.replicas ?? 1) === 1
    ? (r.maxTrainBatch == null
      ? "-"
      : `${r.maxTrainBatch}${r.failedAt ? ` (fails at ${r.failedAt})` : ""}`)
    : "",
]);
console.log(textTable(header, table));
console.log(`\nwritten: ${outFile}`);
