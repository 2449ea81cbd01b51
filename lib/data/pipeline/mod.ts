/**
 * Training input pipeline: TFRecord shards (arcface-tf2 binary or path schema) -> seeded
 * shuffle -> decode + arcface-tf2 augmentation in Deno Workers -> batches, resumable.
 * See docs/pipeline.md.
 *
 * @module
 */
export * from "./augment.ts";
export * from "./errors.ts";
export * from "./image_ops.ts";
export * from "./options.ts";
export * from "../../random/seeded_rng.ts";
export * from "./shards.ts";
export * from "./to_tensors.ts";
export * from "./train_pipeline.ts";
export * from "./worker_pool.ts";
export type { ExampleTask, ProcessConfig, ProcessedExample } from "./process_example.ts";
