import { assert, assertEquals } from "../../tests/support/assert.ts";
import type { OursRow } from "./bench_run.ts";
import {
  compareRows,
  formatCompareTable,
  formatParamChecks,
  type LabelledTorchRow,
} from "./compare_table.ts";

function ours(mode: "train" | "infer", threads: number, ips: number, how?: string): OursRow {
  return {
    label: "MobileFaceNet",
    network: "MobileFaceNet",
    mode,
    backend: "native",
    batch: 8,
    steps: 3,
    imagesPerSec: ips,
    meanImagesPerSec: ips,
    medianStepMs: 8000 / ips,
    peakTensorBytes: NaN,
    wasmHeapBytes: null,
    modelParams: 1022720,
    threads,
    how: how ?? (threads === 1 ? "1 thread" : `${threads} threads`),
  };
}

function theirs(
  mode: "train" | "infer",
  threads: number,
  ips: number,
  extra: Partial<LabelledTorchRow> = {},
): LabelledTorchRow {
  return {
    label: "MobileFaceNet",
    network: "MobileFaceNet",
    mode,
    backend: "torch-cpu",
    batch: 8,
    steps: 3,
    imagesPerSec: ips,
    meanImagesPerSec: ips,
    medianStepMs: 1,
    peakTensorBytes: NaN,
    wasmHeapBytes: null,
    modelParams: 1022720,
    threads,
    ...extra,
  };
}

Deno.test("compareRows pairs each row with the peer's of the same network, mode, batch and threads", () => {
  const rows = compareRows(
    [ours("train", 1, 10), ours("train", 2, 30), ours("infer", 2, 60)],
    [
      theirs("train", 2, 20),
      theirs("train", 1, 5),
      theirs("infer", 2, 0, { error: "out of memory" }),
      theirs("train", 2, 99, { label: "MobileFaceNet (demo_mfn)" }), // another case: not paired
    ],
  );
  assertEquals(rows.map((r) => [r.mode, r.threads, r.ours, r.torch, r.ratio]), [
    ["train", 1, 10, 5, 2],
    ["train", 2, 30, 20, 1.5],
    ["infer", 2, 60, null, null],
  ]);
  assertEquals(rows[2].torchError, "out of memory");
});

Deno.test("formatCompareTable: ours, PyTorch and the ratio; ours only without a peer", () => {
  const rows = compareRows([ours("train", 1, 10), ours("infer", 2, 40, "2 processes")], [
    theirs("train", 1, 4),
  ]);
  const table = formatCompareTable(rows);
  const lines = table.split("\n");
  assert(
    /network .*mode .*batch .*threads .*ours \(native\) img\/s .*PyTorch img\/s .*ours \/ PyTorch/
      .test(lines[0]),
    table,
  );
  assert(
    /\| MobileFaceNet \| train \| 8 +\| 1 +\| 10\.00 +\| 4\.00 +\| 2\.50 +\|/.test(lines[2]),
    table,
  );
  assert(/\| infer \| 8 +\| 2 processes \| 40\.00 +\| - +\| - +\|/.test(lines[3]), table);
  const alone = formatCompareTable(rows, { torch: false });
  assert(!alone.includes("PyTorch") && alone.includes("40.00"), alone);
});

Deno.test("formatParamChecks says match or DIFFER, and ours alone without a peer", () => {
  assertEquals(
    formatParamChecks([
      { network: "MobileNetV2", ours: 12751424, torch: 12751424, match: true },
      { network: "ResNet50", ours: 10, torch: 11, match: false },
      { network: "MobileFaceNet", ours: 5, torch: null, match: null },
    ]),
    [
      "parameters MobileNetV2: ours 12,751,424, PyTorch 12,751,424 (match)",
      "parameters ResNet50: ours 10, PyTorch 11 (DIFFER)",
      "parameters MobileFaceNet: ours 5",
    ],
  );
});
