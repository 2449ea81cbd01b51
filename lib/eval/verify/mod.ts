/**
 * Photo verification ("are these two the same person?"): detect + align + embed two photos and
 * decide with the threshold of the model's own evaluation (eval.json).
 *
 * ```ts
 * await setupBackend("wasm");
 * const r = await verifyPhotos("a.jpg", "b.jpg", { model: "face-api" });
 * console.log(r.distance, r.same, r.threshold.value, r.threshold.file);
 * ```
 *
 * @module
 */
export * from "./eval_threshold.ts";
export * from "./verify_photos.ts";
