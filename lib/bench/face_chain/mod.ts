/**
 * The measured test of the photo chain (detect + align) on synthetic raw photos with a known
 * transform: the photo maker, the landmark-error metric, and the benchmark behind
 * `deno task bench-align`. See docs/face_chain.md.
 *
 * @module
 */
export * from "./clutter.ts";
export * from "./raw_photo.ts";
export * from "./landmark_error.ts";
export * from "./pairs_subset.ts";
export * from "./chain_bench.ts";
