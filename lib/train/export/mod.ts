/**
 * Exporting a trained embedding network for inference (TF.js layers format).
 *
 * @module
 */
export * from "./export_layers_model.ts";
export * from "./export_tf_checkpoint.ts";
