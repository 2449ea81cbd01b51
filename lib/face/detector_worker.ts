/**
 * Worker side of {@linkcode createDetectorPool}: one TF.js backend instance (wasm: one core),
 * one loaded detector; decodes files itself (sharp) and returns the faces with their aligned
 * crops transferred, not copied.
 *
 * Methods (over `lib/workers/worker_rpc.ts`):
 * - `init {detector, backend?}` -> `{backend}`;
 * - `detect {path, options, padRetry?}` -> `{faces, width, height, padded?, error?}` (a file that
 *   cannot be read or decoded replies with `error`, never a throw; `padRetry`: see pad_retry.ts).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { setupBackend } from "../backend/mod.ts";
import { serveRpc, withTransfer } from "../workers/worker_rpc.ts";
import { loadFaceDetector } from "./face_detector.ts";
import type { DetectedFace, DetectOptions, DetectorKind, FaceDetector } from "./face_types.ts";
import { detectWithPadRetry } from "./pad_retry.ts";
import { readRgbImage } from "./read_rgb_image.ts";

let detector: FaceDetector | undefined;

serveRpc({
  async init(a: { detector?: DetectorKind; backend?: string }) {
    const choice = await setupBackend(a.backend, { trainingKernels: false });
    detector = await loadFaceDetector({ detector: a.detector });
    return { backend: choice.name };
  },
  async detect(a: { path: string; options: DetectOptions; padRetry?: boolean | "always" }) {
    if (!detector) throw new Error("detector worker: call init first");
    let image;
    try {
      image = await readRgbImage(a.path);
    } catch (e) {
      return { faces: [], width: 0, height: 0, error: (e as Error).message };
    }
    let faces: DetectedFace[], padded = false;
    try {
      if (a.padRetry) {
        const mode = a.padRetry === "always" ? "always" : "empty";
        ({ faces, padded } = await detectWithPadRetry(detector, image, { ...a.options, mode }));
      } else faces = await detector.detect(image, a.options);
    } catch (e) {
      return {
        faces: [],
        width: image.width,
        height: image.height,
        error: `detection failed on '${a.path}': ${(e as Error).message}`,
      };
    }
    return withTransfer(
      { faces, width: image.width, height: image.height, ...(padded ? { padded } : {}) },
      faces.map((f) => f.aligned.data.buffer as ArrayBuffer),
    );
  },
});
