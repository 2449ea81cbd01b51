/**
 * Benchmarks: training and inference throughput, peak memory, largest trainable batch.
 *
 * @module
 */
export * from "./throughput.ts";
export * from "./max_batch.ts";
export * from "./bench_child.ts";
export * from "./parallel_inference.ts";
export * from "./torch_peer.ts";
