/**
 * `deno task bench`: the training step (the trainer's own `trainStep`) and inference of every
 * network at 1 and 2 threads, side by side with the PyTorch peer (lib/bench/torch_peer.py: the
 * same networks, head and optimiser) when python3 has torch: ours, PyTorch, ours / PyTorch.
 *
 * Usage: see USAGE. "Threads" is how a backend uses N cores: `native` runs one process with N
 * oneDNN (OpenMP) threads; wasm (one core per instance) runs N training replicas in Workers
 * (as `train_workers: N`) and N inference processes. PyTorch: torch.set_num_threads(N).
 *
 * @module
 */
import { join } from "node:path";
import { guardCli, intOption, numberOption, parseCliOrHelp, UsageError } from "./cli_main.ts";
import { textTable } from "../lib/format/text_table.ts";
import { BACKBONE_NAMES, type BackboneName } from "../lib/models/mod.ts";
import { setupBackend } from "../lib/backend/mod.ts";
import {
  type BenchCase,
  compareRows,
  configCase,
  formatCompareTable,
  formatParamChecks,
  type LabelledTorchRow,
  measureOurs,
  type OursRow,
  type ParamCheck,
  probeMaxBatch,
  runTorchPeer,
  standardCase,
  type TorchPeerReport,
} from "../lib/bench/mod.ts";

const USAGE = `Usage: deno task bench [--networks ${BACKBONE_NAMES.join(",")}] [--batch 8]
         [--threads 1,2] [--modes train,infer] [--seconds 10] [--classes 1000]
         [--backend auto|native|wasm|...] [--demo-config configs/demo_mfn.yaml | --no-demo]
         [--no-torch] [--python python3] [--no-max-batch] [--out results/bench]
         [--json results/bench/compare.json]

Measures each network at --batch (ArcHead --classes, SGD momentum 0.9 Nesterov) and the demo's
model as its config trains it (MobileFaceNet width 0.5, batch 64, 1,184 classes), at every
thread count: native = one process with N oneDNN threads; wasm = N Workers (train) / N processes
(infer). When python3 (or /usr/bin/python3) imports torch, the PyTorch peer measures the same at
torch.set_num_threads(N) on the CPU and the table shows ours, PyTorch and ours / PyTorch.
--no-max-batch skips the largest-batch probe (child processes, slow).`;

guardCli("bench", USAGE);
const { values } = parseCliOrHelp(Deno.args, {
  networks: { type: "string", default: BACKBONE_NAMES.join(",") },
  batch: { type: "string", default: "8" },
  threads: { type: "string", default: "1,2" },
  modes: { type: "string", default: "train,infer" },
  seconds: { type: "string", default: "10" },
  classes: { type: "string", default: "1000" },
  backend: { type: "string" },
  "demo-config": { type: "string", default: "configs/demo_mfn.yaml" },
  "no-demo": { type: "boolean", default: false },
  "no-torch": { type: "boolean", default: false },
  python: { type: "string" },
  "no-max-batch": { type: "boolean", default: false },
  out: { type: "string", default: "results/bench" },
  json: { type: "string" },
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
const threads = values.threads.split(",").map((t) => intOption("threads", t.trim(), { min: 1 })!);
const modes = values.modes.split(",").map((m) => m.trim());
for (const m of modes) {
  if (m !== "train" && m !== "infer") {
    throw new UsageError(`--modes takes train and/or infer, got '${m}'`);
  }
}
const benchModes = modes as ("train" | "infer")[];

const cases: BenchCase[] = (networks as BackboneName[]).map((n) =>
  standardCase(n, { batch, classes })
);
if (!values["no-demo"]) cases.push(await configCase(values["demo-config"]));

const backend = await setupBackend(values.backend);
console.log(`backend: ${backend.name} (${backend.reason})`);
if (backend.registeredKernels.length) {
  console.log(`registered kernels: ${backend.registeredKernels.join(", ")}`);
}
console.log(
  `input 112x112, ArcHead m 0.5 s 64, SGD momentum 0.9 (Nesterov); threads ${
    threads.join(", ")
  }; ` +
    `each training row runs >= ${seconds}s after 2 warm-up steps; img/s at the median step\n`,
);

// The peer's availability and parameter counts first: one quick python run per width.
let torch: TorchPeerReport = { available: false, why: "not asked for (--no-torch)" };
const torchParams = new Map<string, number>();
if (!values["no-torch"]) {
  for (const c of cases) {
    const r = await runTorchPeer({
      python: values.python,
      device: "cpu",
      networks: [c.network],
      width: c.spec.width,
      paramsOnly: true,
    });
    torch = r;
    if (!r.available) break;
    const p = r.rows[0]?.modelParams;
    if (typeof p === "number") torchParams.set(c.label, p);
  }
}
console.log(
  torch.available
    ? `PyTorch peer: torch ${torch.torch} (${torch.python}), CPU`
    : `PyTorch peer: none (${torch.why}); ours only`,
);

const enc = new TextEncoder();
const status = (line: string) => Deno.stderr.writeSync(enc.encode(`\r${line.padEnd(72)}`));
const clear = () => Deno.stderr.writeSync(enc.encode(`\r${" ".repeat(72)}\r`));

await Deno.mkdir(values.out, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outFile = join(values.out, `bench_${stamp}.jsonl`);
const ours: (OursRow & { maxTrainBatch?: number | null; failedAt?: number | null })[] = [];
const theirs: LabelledTorchRow[] = [];
const paramChecks: ParamCheck[] = [];

for (const c of cases) {
  const rows = await measureOurs(c, {
    backend: backend.name,
    threads,
    seconds,
    modes: benchModes,
    onProgress: (p) =>
      status(
        p.step === undefined
          ? `  ${p.label}: ${p.threads} thread(s)...`
          : `  ${p.label} ${p.mode} x${p.threads}: step ${p.step}, ${(p.ms! / 1000).toFixed(2)} s`,
      ),
  });
  clear();
  const train1 = rows.find((r) => r.mode === "train" && r.threads === 1);
  if (train1 && !values["no-max-batch"] && c.label === c.network) {
    const mb = await probeMaxBatch(c.network, {
      start: c.batch,
      classes,
      backend: backend.name,
      onProbe: (b, ok) => status(`  ${c.label}: batch ${b} ${ok ? "trains" : "fails"}`),
    });
    clear();
    Object.assign(train1, { maxTrainBatch: mb.largest, failedAt: mb.failedAt });
  }
  for (const r of rows) {
    ours.push(r);
    await Deno.writeTextFile(outFile, JSON.stringify({ ...r, time: stamp }) + "\n", {
      append: true,
    });
  }
  const params = rows.map((r) => r.modelParams).find(Number.isFinite);
  const tp = torchParams.get(c.label) ?? null;
  if (params !== undefined) {
    paramChecks.push({
      network: c.label,
      ours: params,
      torch: tp,
      match: tp === null ? null : tp === params,
    });
  }
  if (torch.available) {
    status(`  ${c.label}: PyTorch peer...`);
    const r = await runTorchPeer({
      python: torch.python,
      device: "cpu",
      networks: [c.network],
      batches: [c.batch],
      inferBatch: c.batch,
      seconds,
      classes: c.spec.numClasses,
      width: c.spec.width,
      decayAll: c.spec.decayAll,
      threads,
      modes: benchModes,
    });
    clear();
    if (r.available) {
      for (const t of r.rows) theirs.push({ ...t, label: c.label });
      if (r.failed) console.error(`  ${c.label}: PyTorch peer: ${r.failed}`);
    }
  }
}

const mib = (b: number | null) =>
  b === null || !Number.isFinite(b) ? "-" : (b / 2 ** 20).toFixed(0);
console.log(
  textTable(
    ["network", "mode", "batch", "threads", "img/s", "ms/step", "peak tensors MiB", "max batch"],
    ours.map((r) => [
      r.label,
      r.mode,
      String(r.batch),
      r.how,
      r.imagesPerSec.toFixed(2),
      Number.isFinite(r.medianStepMs) ? r.medianStepMs.toFixed(0) : "-",
      mib(r.peakTensorBytes),
      r.maxTrainBatch == null
        ? ""
        : `${r.maxTrainBatch}${r.failedAt ? ` (fails at ${r.failedAt})` : ""}`,
    ]),
  ),
);
console.log();
const compared = compareRows(ours, theirs);
console.log(formatCompareTable(compared, { torch: torch.available }));
for (const line of formatParamChecks(paramChecks)) console.log(line);
console.log(`\nwritten: ${outFile}`);
if (values.json) {
  const report = {
    time: new Date().toISOString(),
    backend,
    threads,
    seconds,
    torch: torch.available
      ? { available: true, torch: torch.torch, python: torch.python }
      : { available: false, why: torch.why },
    rows: compared,
    params: paramChecks,
  };
  await Deno.writeTextFile(values.json, JSON.stringify(report, null, 2) + "\n");
  console.log(`written: ${values.json}`);
}
