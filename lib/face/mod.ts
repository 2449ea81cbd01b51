/**
 * Faces from real photos: face-api's detectors (SSD MobileNetV1, Tiny Face Detector) and
 * 68-point landmark net on our TF.js engine, the five ArcFace points, alignment to the ArcFace
 * template (lib/data/align), a face-picking policy, and a Worker pool for many files.
 *
 * ```ts
 * await setupBackend("wasm");
 * const faces = await detectFaces(await readRgbImage("photo.jpg")); // largest first
 * const face = pickFace(faces, image); // faces[i].aligned: 112x112 RGB
 * ```
 *
 * @module
 */
export * from "./face_types.ts";
export { landmarks5From68 } from "./landmarks5.ts";
export { readRgbImage } from "./read_rgb_image.ts";
export { pickFace, type PickFaceOptions } from "./pick_face.ts";
export {
  DEFAULT_PAD_FRACTION,
  detectWithPadRetry,
  padImage,
  type PadRetryMode,
  type PadRetryOptions,
  type PadRetryResult,
} from "./pad_retry.ts";
export { detectFaces, loadFaceDetector, type LoadFaceDetectorOptions } from "./face_detector.ts";
export {
  ALIGN_SUMMARY_FILE,
  type AlignBadFile,
  type AlignedFormat,
  type AlignProgress,
  alignTree,
  AlignTreeError,
  type AlignTreeOptions,
  type AlignTreeSummary,
  encodeCrop,
} from "./align_tree.ts";
export {
  detectAndPick,
  type DetectAndPickOptions,
  type PickedDetection,
} from "./detect_and_pick.ts";
export {
  createDetectorPool,
  type DetectFilesOptions,
  type DetectorPool,
  type DetectorPoolOptions,
  type FileDetection,
} from "./detector_pool.ts";
export { landmarksInBox, type LandmarksInBoxOptions } from "./landmarks_in_box.ts";
