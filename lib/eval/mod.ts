/**
 * Evaluation: the insightface verification protocol (metrics as plain numbers), embedding
 * extraction on a Worker per core, the models to evaluate, eval.json reports, and photo
 * verification against an evaluation's threshold.
 *
 * @module
 */
export * from "./metrics/mod.ts";
export * from "./models/mod.ts";
export * from "./extract/embed_images.ts";
export * from "./resolve_set.ts";
export * from "./evaluate_model.ts";
export * from "./verify/mod.ts";
