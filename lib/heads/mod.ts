/**
 * Classification heads (ArcFace margin head, plain softmax head) and the softmax loss.
 *
 * @module
 */
export * from "./arc_head.ts";
export * from "./build_head.ts";
export * from "./head.ts";
export * from "./l2_normalize.ts";
export * from "./norm_head.ts";
export * from "./softmax_loss.ts";
