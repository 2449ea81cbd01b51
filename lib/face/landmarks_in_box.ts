/**
 * The 68-point landmark net on a box the caller already has (a K-Face information file, a box
 * from another detector): no detection, just landmarks inside the box, as face-api does after
 * its detector (the box padded to a square, resized to 112).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { toRgb } from "./face_detector.ts";
import { type FaceBox, FaceDetectionError, type Point, type RawImage } from "./face_types.ts";
import { Landmark68Net } from "./landmark68_net.ts";

let shared: Promise<Landmark68Net> | undefined;

/** Options of {@linkcode landmarksInBox}. */
export interface LandmarksInBoxOptions {
  /** Folder with face-api's weight manifests (default: node_modules/@vladmandic/face-api/model). */
  modelDir?: string;
}

/**
 * 68 landmarks (input pixels, iBUG 300-W order) of the face inside `box` of `image`, with a
 * lazily loaded landmark net kept for the process (the backend must already be set up).
 * Throws {@linkcode FaceDetectionError} when the box does not overlap the image.
 */
export async function landmarksInBox(
  image: RawImage,
  box: FaceBox,
  options: LandmarksInBoxOptions = {},
): Promise<Point[]> {
  const rgb = toRgb(image);
  if (!shared || options.modelDir) {
    const p = Landmark68Net.load({ modelDir: options.modelDir });
    if (!options.modelDir) {
      shared = p;
      p.catch(() => (shared = undefined));
    }
    return await run(await p, rgb, box, !!options.modelDir);
  }
  return await run(await shared, rgb, box, false);
}

async function run(net: Landmark68Net, rgb: RawImage, box: FaceBox, own: boolean) {
  const t = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], "int32"); // [h, w, 3]
  try {
    const [pts] = await net.detect(t, [box]);
    if (!pts) {
      throw new FaceDetectionError(
        `landmarksInBox: box ${JSON.stringify(box)} does not overlap the ` +
          `${rgb.width}x${rgb.height} image; pass a box in input pixels.`,
      );
    }
    return pts;
  } finally {
    t.dispose();
    if (own) net.dispose();
  }
}
