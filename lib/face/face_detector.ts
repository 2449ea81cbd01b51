/**
 * Detection + 68 landmarks + 5 ArcFace points + alignment for one image, on the caller's TF.js
 * backend (call the project's `setupBackend` first: wasm here, tfjs-node / WebGPU elsewhere).
 *
 * Why re-implemented and not face-api's own JS: its `esm-nobundle` build imports the umbrella
 * `@tensorflow/tfjs` and `tfjs-backend-webgl` (not dependencies here, and a second tfjs-core
 * instance with its own backend registry), and its input path wants canvases or
 * `tf.browser`. The three nets are small (SSD MobileNetV1, Tiny-YOLOv2, a dense-block landmark
 * net), so their forward passes are written on our tfjs-core ops (as
 * `lib/eval/models/face_api_embedder.ts` did for the recognition net) and only face-api's weight
 * files are read. One engine, one backend, no canvas.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { alignFace, checkRawImage } from "../data/align/mod.ts";
import {
  DEFAULT_MAX_FACES,
  DEFAULT_MIN_SCORE,
  type DetectedFace,
  type DetectOptions,
  type DetectorKind,
  FaceDetectionError,
  type FaceDetector,
  type RawImage,
} from "./face_types.ts";
import { landmarks5From68 } from "./landmarks5.ts";
import { Landmark68Net } from "./landmark68_net.ts";
import { type ScoredBox, SsdMobilenetV1 } from "./ssd_mobilenet_v1.ts";
import { TinyFaceDetectorNet } from "./tiny_face_detector.ts";

/** Options of {@linkcode loadFaceDetector}. */
export interface LoadFaceDetectorOptions {
  /** "ssd" (default) or "tiny". */
  detector?: DetectorKind;
  /** Folder with face-api's weight manifests (default: node_modules/@vladmandic/face-api/model). */
  modelDir?: string;
}

/** `image` as 3-channel RGB (grayscale expanded, alpha dropped); checks its shape. */
export function toRgb(image: RawImage): RawImage {
  try {
    checkRawImage(image);
  } catch (e) {
    throw new FaceDetectionError(`detect: bad image: ${(e as Error).message}`);
  }
  const { width, height, channels } = image;
  if (channels === 3) return image;
  if (channels !== 1 && channels !== 4) {
    throw new FaceDetectionError(
      `detect: image has ${channels} channels; pass RGB (3), RGBA (4) or grayscale (1).`,
    );
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) {
      rgb[3 * i + c] = image.data[i * channels + (channels === 1 ? 0 : c)];
    }
  }
  return { data: rgb, width, height, channels: 3 };
}

/** Loads a detector and the 68-point landmark net (weights from face-api's `model/`). */
export async function loadFaceDetector(
  options: LoadFaceDetectorOptions = {},
): Promise<FaceDetector> {
  const kind = options.detector ?? "ssd";
  if (kind !== "ssd" && kind !== "tiny") {
    throw new FaceDetectionError(`Unknown detector '${kind}'; use "ssd" or "tiny".`);
  }
  const load = { modelDir: options.modelDir };
  const [net, landmarks] = await Promise.all([
    kind === "ssd" ? SsdMobilenetV1.load(load) : TinyFaceDetectorNet.load(load),
    Landmark68Net.load(load),
  ]);
  return {
    kind,
    async detect(image: RawImage, opts: DetectOptions = {}): Promise<DetectedFace[]> {
      const rgb = toRgb(image);
      const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
      const maxFaces = opts.maxFaces ?? DEFAULT_MAX_FACES;
      const size = opts.size ?? 112;
      const t = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], "int32"); // [h, w, 3]
      try {
        // Ask NMS for more than maxFaces: the limit keeps the LARGEST, NMS ranks by score.
        const found: ScoredBox[] = await net.locate(t, {
          minScore,
          maxResults: Math.max(100, maxFaces),
        });
        found.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
        const kept = found.slice(0, maxFaces);
        const pts = await landmarks.detect(t, kept.map((f) => f.box));
        const faces: DetectedFace[] = [];
        kept.forEach((f, i) => {
          const l68 = pts[i];
          if (!l68) return; // empty crop (box outside the image)
          const l5 = landmarks5From68(l68);
          const { image: aligned, matrix } = alignFace(rgb, l5, { size, template: opts.template });
          faces.push({
            box: f.box,
            score: f.score,
            landmarks68: l68,
            landmarks5: l5,
            aligned,
            matrix,
          });
        });
        return faces;
      } finally {
        t.dispose();
      }
    },
    dispose() {
      net.dispose();
      landmarks.dispose();
    },
  };
}

const defaults = new Map<DetectorKind, Promise<FaceDetector>>();

/**
 * Faces in `image` with a lazily loaded default detector (one per kind, kept for the process;
 * the backend must already be set up). Sorted by box area, largest first.
 */
export async function detectFaces(
  image: RawImage,
  options: DetectOptions = {},
): Promise<DetectedFace[]> {
  const kind = options.detector ?? "ssd";
  let d = defaults.get(kind);
  if (!d) {
    d = loadFaceDetector({ detector: kind });
    defaults.set(kind, d);
    d.catch(() => defaults.delete(kind));
  }
  return (await d).detect(image, options);
}
