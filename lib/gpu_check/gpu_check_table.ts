/**
 * The GPU check's report as text: ours beside PyTorch's, and the ratio.
 *
 * @module
 */
import { textTable } from "../format/text_table.ts";
import type { GpuCheckReport } from "./gpu_check.ts";

const mib = (b: unknown) =>
  typeof b === "number" && Number.isFinite(b) ? (b / 2 ** 20).toFixed(0) : "-";
const num = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? "-" : x < 10 ? x.toPrecision(3) : x.toFixed(1);

/** Renders the report: header lines, then one row per measurement with PyTorch's img/s and ours/theirs. */
export function renderGpuCheck(report: GpuCheckReport): string {
  const lines = [
    `deno ${report.deno}; backend ${report.backend.name} (${report.backend.reason})`,
    `adapter: ${
      report.adapter
        ? `${report.adapter.name} [${report.adapter.software ? "SOFTWARE" : "hardware"}]`
        : "-"
    }`,
    `nvidia-smi: ${
      report.nvidia === null
        ? "not installed"
        : "failed" in report.nvidia
        ? `failed (${report.nvidia.failed})`
        : report.nvidia.map((g) => `${g.name}, driver ${g.driver}, sm ${g.computeCap}`).join("; ")
    }`,
    `PyTorch: ${
      report.torch.available
        ? `on ${report.torch.device}${report.torch.failed ? `, ${report.torch.failed}` : ""}`
        : report.torch.why
    }`,
    "",
  ];
  const theirs = report.torch.available ? report.torch.rows : [];
  const table = report.rows.map((r) => {
    const t = theirs.find((p) =>
      p.network === r.network && p.mode === r.mode && p.batch === r.batch
    );
    const ratio = t && Number.isFinite(r.imagesPerSec) && t.imagesPerSec
      ? (r.imagesPerSec / t.imagesPerSec).toFixed(3)
      : "-";
    return [
      r.network,
      r.mode,
      String(r.batch),
      r.error ? `error: ${r.error.slice(0, 60)}` : num(r.imagesPerSec),
      num(r.medianStepMs),
      mib(r.peakTensorBytes),
      mib(r.memory.numBytesAllocatedInGPU ?? r.memory.numBytesInGPU ?? r.memory.numBytes),
      t ? (t.error ? "error" : num(t.imagesPerSec)) : "-",
      t ? mib(t.peakTensorBytes) : "-",
      ratio,
    ];
  });
  lines.push(textTable([
    "network",
    "mode",
    "batch",
    "img/s",
    "ms/step",
    "peak tensors MiB",
    "GPU pool MiB",
    "torch img/s",
    "torch peak MiB",
    "ours/torch",
  ], table));
  return lines.join("\n");
}
