import { assert } from "../../tests/support/assert.ts";
import type { GpuCheckReport, GpuCheckRow } from "./gpu_check.ts";
import { renderGpuCheck } from "./gpu_check_table.ts";

const row = (network: "MobileFaceNet" | "ResNet50", batch: number, ips: number): GpuCheckRow => ({
  network,
  mode: "train",
  backend: "webgpu",
  batch,
  steps: 3,
  imagesPerSec: ips,
  meanImagesPerSec: ips,
  medianStepMs: 1000 * batch / ips,
  peakTensorBytes: 2 ** 30,
  wasmHeapBytes: null,
  modelParams: 1,
  memory: { numBytesInGPU: 0, numBytesAllocatedInGPU: 3 * 2 ** 30 },
});

function report(torch: GpuCheckReport["torch"]): GpuCheckReport {
  return {
    time: "t",
    deno: "2.9.6",
    backend: { name: "webgpu", reason: "asked for by name", software: false },
    adapter: { name: "NVIDIA H200", vendor: "nvidia", architecture: "hopper", software: false },
    probe: { backends: [], adapters: [], adaptersNote: null },
    nvidia: [{ name: "NVIDIA H200", driver: "550.54.15", computeCap: "9.0", memoryMiB: 143771 }],
    rows: [row("MobileFaceNet", 64, 500), row("ResNet50", 128, 100)],
    torch,
  };
}

Deno.test("gpu-check table: ours beside torch's img/s and the ratio; GPU pool memory", () => {
  const text = renderGpuCheck(report({
    available: true,
    device: "cuda",
    info: null,
    rows: [{ ...row("MobileFaceNet", 64, 2000), backend: "torch-cuda" }],
  }));
  const mfn = text.split("\n").find((l) => l.includes("| MobileFaceNet"))!;
  assert(/\| 500\.0 .*\| 2000\.0 .*\| 0\.250 /.test(mfn), mfn);
  assert(/\| 3072 /.test(mfn), mfn); // numBytesAllocatedInGPU, MiB
  const r50 = text.split("\n").find((l) => l.includes("| ResNet50"))!;
  assert(/\| -\s+\|\s*$/.test(r50), r50); // no torch row: no ratio
  assert(text.includes("NVIDIA H200, driver 550.54.15, sm 9.0"), text);
});

Deno.test("gpu-check table: says why there is no PyTorch", () => {
  const text = renderGpuCheck(report({ available: false, why: "no PyTorch in python3 (x)" }));
  assert(text.includes("PyTorch: no PyTorch in python3 (x)"), text);
});
