/**
 * Evaluation: the insightface verification protocol (metrics as plain numbers), embedding
 * extraction on a Worker per core, the models to evaluate, and eval.json reports.
 *
 * @module
 */
export * from "./metrics/mod.ts";
export * from "./models/mod.ts";
export * from "./extract/embed_images.ts";
export * from "./resolve_set.ts";
export * from "./evaluate_model.ts";
