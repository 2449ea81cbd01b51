/**
 * Benchmarks: training and inference throughput, peak memory, largest trainable batch, and the
 * side-by-side comparison with the PyTorch peer.
 *
 * @module
 */
export * from "./throughput.ts";
export * from "./max_batch.ts";
export * from "./bench_child.ts";
export * from "./bench_cases.ts";
export * from "./bench_run.ts";
export * from "./compare_table.ts";
export * from "./torch_peer.ts";
