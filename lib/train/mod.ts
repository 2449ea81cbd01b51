/**
 * Training: one optimisation step of backbone -> embedding -> head -> loss.
 *
 * @module
 */
export * from "./train_step.ts";
