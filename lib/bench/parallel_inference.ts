/**
 * Inference throughput of several independent replicas at once, one process (and one wasm
 * instance, hence one core) each: the data-parallel ceiling of embedding extraction on this
 * machine, since a wasm instance runs on one thread under Deno.
 *
 * @module
 */
import type { BackboneName } from "../models/mod.ts";
import { BENCH_CHILD, runBenchChild } from "./bench_child.ts";

/** Options of {@linkcode measureParallelInference}. */
export interface ParallelInferenceOptions {
  /** Replicas run at the same time (default 2). */
  replicas?: number;
  /** Images per step in each replica (default 8). */
  batch?: number;
  /** Timed seconds in each replica (default 10). */
  seconds?: number;
  /** Backend of the replicas (default: what `auto` picks there). */
  backend?: string;
}

/** The replicas' combined result. */
export interface ParallelInferenceResult {
  replicas: number;
  /** Sum of the replicas' images/s (they run concurrently). */
  imagesPerSec: number;
  /** Each replica's own images/s. */
  perReplica: number[];
}

/**
 * Starts `replicas` inference measurements at once and sums their images/s.
 *
 * @throws {Error} when a replica fails (the message says which).
 */
export async function measureParallelInference(
  network: BackboneName,
  options: ParallelInferenceOptions = {},
): Promise<ParallelInferenceResult> {
  const replicas = options.replicas ?? 2;
  const args = [
    "run",
    "-A",
    BENCH_CHILD,
    "infer",
    network,
    String(options.batch ?? 8),
    String(options.seconds ?? 10),
  ];
  const env: Record<string, string> = options.backend ? { ARCFACE_BACKEND: options.backend } : {};
  const results = await Promise.all(
    Array.from({ length: replicas }, () => runBenchChild(args, env)),
  );
  const rates = results.map((r, i) => {
    if (r === null) {
      throw new Error(`inference replica ${i + 1} of ${replicas} failed (${network})`);
    }
    return r.imagesPerSec as number;
  });
  return { replicas, imagesPerSec: rates.reduce((a, b) => a + b, 0), perReplica: rates };
}
