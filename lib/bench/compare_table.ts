/**
 * The side-by-side table of `deno task bench`: our img/s, the PyTorch peer's at the same network,
 * mode, batch and thread count, and the ratio ours / PyTorch; plus the parameter-count check
 * that says both sides built the same networks.
 *
 * @module
 */
import { textTable } from "../format/text_table.ts";
import type { OursRow } from "./bench_run.ts";
import type { TorchPeerRow } from "./torch_peer.ts";

/** A peer row tagged with the bench case it was measured for. */
export type LabelledTorchRow = TorchPeerRow & { label: string };

/** One row of the comparison (also the JSON written by `--json`). */
export interface CompareRow {
  /** The case label (network, or `network (config)`). */
  network: string;
  mode: "train" | "infer";
  batch: number;
  threads: number;
  /** How our side used the threads ("1 thread", "2 OpenMP threads", "2 Workers", ...). */
  how: string;
  backend: string;
  /** Our img/s at the median step (parallel inference: the processes' sum). */
  ours: number;
  /** The peer's img/s at the median step; null when it did not run or failed. */
  torch: number | null;
  /** ours / torch; null without a peer number. */
  ratio: number | null;
  /** The peer's error for this row, if it failed. */
  torchError?: string;
}

/** Pairs every one of our rows with the peer's row of the same label, mode, batch and threads. */
export function compareRows(
  ours: readonly OursRow[],
  torch: readonly LabelledTorchRow[],
): CompareRow[] {
  return ours.map((o) => {
    const t = torch.find((r) =>
      r.label === o.label && r.mode === o.mode && r.batch === o.batch && r.threads === o.threads
    );
    const theirs = t && !t.error && Number.isFinite(t.imagesPerSec) ? t.imagesPerSec : null;
    return {
      network: o.label,
      mode: o.mode,
      batch: o.batch,
      threads: o.threads,
      how: o.how,
      backend: o.backend,
      ours: o.imagesPerSec,
      torch: theirs,
      ratio: theirs ? o.imagesPerSec / theirs : null,
      ...(t?.error ? { torchError: t.error } : {}),
    };
  });
}

const num = (x: number | null, digits: number) =>
  x === null || !Number.isFinite(x) ? "-" : x.toFixed(digits);

/**
 * The printed table: network, mode, batch, threads, ours (backend), PyTorch, ratio. Without a
 * peer (`torch: false`) the PyTorch and ratio columns are left out.
 */
export function formatCompareTable(
  rows: readonly CompareRow[],
  options: { torch?: boolean } = {},
): string {
  const withTorch = options.torch ?? true;
  const backends = [...new Set(rows.map((r) => r.backend))].join(", ") || "ours";
  const header = ["network", "mode", "batch", "threads", `ours (${backends}) img/s`];
  if (withTorch) header.push("PyTorch img/s", "ours / PyTorch");
  const cells = rows.map((r) => {
    const threads = r.how === `${r.threads} thread${r.threads === 1 ? "" : "s"}`
      ? String(r.threads)
      : r.how;
    const row = [r.network, r.mode, String(r.batch), threads, num(r.ours, 2)];
    if (withTorch) {
      row.push(r.torchError ? `failed: ${r.torchError}` : num(r.torch, 2), num(r.ratio, 2));
    }
    return row;
  });
  return textTable(header, cells);
}

/** Parameter counts of one case on both sides. */
export interface ParamCheck {
  network: string;
  ours: number;
  /** null: no peer. */
  torch: number | null;
  /** ours === torch (null without a peer). */
  match: boolean | null;
}

/** One line per case: both counts and whether they match. */
export function formatParamChecks(checks: readonly ParamCheck[]): string[] {
  return checks.map((c) =>
    `parameters ${c.network}: ours ${c.ours.toLocaleString("en-US")}` +
    (c.torch === null
      ? ""
      : `, PyTorch ${c.torch.toLocaleString("en-US")} (${c.match ? "match" : "DIFFER"})`)
  );
}
