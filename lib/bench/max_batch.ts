/**
 * Finds the largest batch a network trains at on a backend, one child process per probe: a
 * wasm heap that hit its 4 GiB cap aborts, and a heap that grew never shrinks, so probes
 * in one process would disturb each other.
 *
 * @module
 */
import type { BackboneName } from "../models/mod.ts";
import { BENCH_CHILD, runBenchChild } from "./bench_child.ts";

/** Options of {@linkcode probeMaxBatch}. */
export interface MaxBatchOptions {
  /** A batch known (or expected) to train; the search doubles from here (default 8). */
  start?: number;
  /** Stop searching above this batch (default 512). */
  limit?: number;
  /** ArcHead classes (default 1000). */
  classes?: number;
  /** Backend for the child processes (default: what `auto` picks there). */
  backend?: string;
  /** Called after each probe. */
  onProbe?: (batch: number, ok: boolean) => void;
}

/** The search's outcome. */
export interface MaxBatchResult {
  /** Largest batch that trained, or null if even `start` failed. */
  largest: number | null;
  /** Smallest batch seen to fail, or null if none up to `limit` failed. */
  failedAt: number | null;
}

/** Runs two training steps at `batch` in a child process; true when they finished. */
export async function trainsAtBatch(
  network: BackboneName,
  batch: number,
  options: Pick<MaxBatchOptions, "classes" | "backend"> = {},
): Promise<boolean> {
  const args = [
    "run",
    "-A",
    BENCH_CHILD,
    "train",
    network,
    String(batch),
    String(options.classes ?? 1000),
  ];
  const env: Record<string, string> = options.backend ? { ARCFACE_BACKEND: options.backend } : {};
  return (await runBenchChild(args, env)) !== null;
}

/**
 * Doubles the batch from `start` until a probe fails (or `limit`), then bisects between the
 * last success and the first failure to a resolution of 1/8 of the success (at least 1).
 */
export async function probeMaxBatch(
  network: BackboneName,
  options: MaxBatchOptions = {},
): Promise<MaxBatchResult> {
  const limit = options.limit ?? 512;
  const probe = async (b: number) => {
    const ok = await trainsAtBatch(network, b, options);
    options.onProbe?.(b, ok);
    return ok;
  };
  let lo = options.start ?? 8;
  if (!(await probe(lo))) {
    // Search downwards: halve until something trains.
    let hi = lo;
    while (lo > 1) {
      hi = lo;
      lo = Math.floor(lo / 2);
      if (await probe(lo)) return bisect(lo, hi);
    }
    return { largest: null, failedAt: 1 };
  }
  let hi: number | null = null;
  while (hi === null && lo * 2 <= limit) {
    if (await probe(lo * 2)) lo *= 2;
    else hi = lo * 2;
  }
  if (hi === null) return { largest: lo, failedAt: null };
  return bisect(lo, hi);

  async function bisect(ok: number, bad: number): Promise<MaxBatchResult> {
    while (bad - ok > Math.max(1, Math.floor(ok / 8))) {
      const mid = Math.floor((ok + bad) / 2);
      if (await probe(mid)) ok = mid;
      else bad = mid;
    }
    return { largest: ok, failedAt: bad };
  }
}
