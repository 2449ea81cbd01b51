/**
 * face-api's 68-point landmark net on our tfjs-core ops: the forward pass of
 * @vladmandic/face-api `src/faceLandmarkNet/` + `src/faceFeatureExtractor/` (MIT,
 * (c) Vincent Muehler / Vladimir Mandic; four dense blocks of separable convs, avg pool, FC to
 * 136), weights from `model/face_landmark_68_model*`.
 *
 * Input: the detector box cut out of the photo, padded to a square (centred, zeros), resized to
 * 112x112, mean-RGB subtracted, / 255. Output: 68 (x, y) fractions of the padded square, mapped
 * back to input pixels here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type FaceApiWeights, loadFaceApiWeights } from "./face_api_weights.ts";
import type { FaceBox, Point } from "./face_types.ts";

/** The net's input side. */
export const LANDMARK_INPUT_SIZE = 112;
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

interface Separable {
  depthwise: tf.Tensor4D;
  pointwise: tf.Tensor4D;
  bias: tf.Tensor1D;
}
interface Block {
  conv0: { filters: tf.Tensor4D; bias: tf.Tensor1D } | Separable;
  conv1: Separable;
  conv2: Separable;
  conv3: Separable;
}

function separable(x: tf.Tensor4D, p: Separable, stride: number): tf.Tensor4D {
  return tf.add(tf.separableConv2d(x, p.depthwise, p.pointwise, stride, "same"), p.bias);
}

function denseBlock4(x: tf.Tensor4D, p: Block, first: boolean): tf.Tensor4D {
  const out1 = tf.relu(
    first
      ? tf.add(tf.conv2d(x, (p.conv0 as { filters: tf.Tensor4D }).filters, 2, "same"), p.conv0.bias)
      : separable(x, p.conv0 as Separable, 2),
  ) as tf.Tensor4D;
  const out2 = separable(out1, p.conv1, 1);
  const out3 = separable(tf.relu(tf.add(out1, out2)), p.conv2, 1);
  const out4 = separable(tf.relu(tf.add(out1, tf.add(out2, out3))), p.conv3, 1);
  return tf.relu(tf.add(out1, tf.add(out2, tf.add(out3, out4))));
}

/** The integer crop face-api cuts for a box (floored, clipped to the image). */
export function cropRect(box: FaceBox, width: number, height: number): FaceBox {
  const x = Math.max(0, Math.floor(box.x)), y = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.floor(box.x + box.width));
  const y1 = Math.min(height, Math.floor(box.y + box.height));
  return { x, y, width: Math.max(0, x1 - x), height: Math.max(0, y1 - y) };
}

/** The loaded 68-point landmark net. */
export class Landmark68Net {
  readonly #w: FaceApiWeights;
  readonly #blocks: Block[] = [];
  readonly #fcW: tf.Tensor2D; // [256, 136]
  readonly #fcB: tf.Tensor1D; // [136]

  private constructor(w: FaceApiWeights) {
    this.#w = w;
    const sep = (p: string): Separable => ({
      depthwise: w.get(`${p}/depthwise_filter`, 4),
      pointwise: w.get(`${p}/pointwise_filter`, 4),
      bias: w.get(`${p}/bias`, 1),
    });
    for (let i = 0; i < 4; i++) {
      const p = `dense${i}`;
      this.#blocks.push({
        conv0: i === 0
          ? { filters: w.get(`${p}/conv0/filters`, 4), bias: w.get(`${p}/conv0/bias`, 1) }
          : sep(`${p}/conv0`),
        conv1: sep(`${p}/conv1`),
        conv2: sep(`${p}/conv2`),
        conv3: sep(`${p}/conv3`),
      });
    }
    this.#fcW = w.get("fc/weights", 2);
    this.#fcB = w.get("fc/bias", 1);
  }

  /** Loads the weights (face-api's `model/` unless `modelDir`). */
  static async load(options: { modelDir?: string } = {}): Promise<Landmark68Net> {
    return new Landmark68Net(await loadFaceApiWeights("face_landmark_68_model", options));
  }

  /**
   * 68 landmarks (input pixels) for each box of `image` ([h, w, 3] 0..255). Boxes whose crop is
   * empty get `undefined`.
   */
  async detect(image: tf.Tensor3D, boxes: FaceBox[]): Promise<(Point[] | undefined)[]> {
    const [h, w] = image.shape;
    const rects = boxes.map((b) => cropRect(b, w, h));
    const valid = rects.map((r, i) => ({ r, i })).filter(({ r }) => r.width > 0 && r.height > 0);
    const result: (Point[] | undefined)[] = boxes.map(() => undefined);
    if (valid.length === 0) return result;
    const out = tf.tidy(() => {
      const s = LANDMARK_INPUT_SIZE;
      const batch = tf.stack(valid.map(({ r }) => {
        const crop = tf.cast(tf.slice(image, [r.y, r.x, 0], [r.height, r.width, 3]), "float32");
        const d = Math.abs(r.width - r.height);
        const a = Math.round(d * 0.5), b = d - a; // face-api: `a` after, the rest before
        const pad: [number, number][] = r.height > r.width
          ? [[0, 0], [b, a], [0, 0]]
          : [[b, a], [0, 0], [0, 0]];
        const sq = d > 0 ? tf.pad(crop, pad) : crop;
        return tf.image.resizeBilinear(sq as tf.Tensor3D, [s, s]);
      })) as tf.Tensor4D; // [n, 112, 112, 3]
      let x = tf.div(tf.sub(batch, tf.tensor1d(MEAN_RGB as unknown as number[])), 255);
      for (let i = 0; i < 4; i++) x = denseBlock4(x as tf.Tensor4D, this.#blocks[i], i === 0);
      const pooled = tf.avgPool(x as tf.Tensor4D, [7, 7], [2, 2], "valid"); // [n, 1, 1, 256]
      return tf.add(tf.matMul(tf.reshape(pooled, [valid.length, -1]), this.#fcW), this.#fcB);
    }); // [n, 136] fractions of the padded square, interleaved x, y
    const data = await out.data();
    out.dispose();
    valid.forEach(({ r, i }, k) => {
      const side = Math.max(r.width, r.height);
      const d = Math.abs(r.width - r.height);
      const before = d - Math.round(d * 0.5);
      const px = r.height > r.width ? before : 0, py = r.width > r.height ? before : 0;
      const pts: Point[] = [];
      for (let j = 0; j < 68; j++) {
        pts.push([
          r.x + data[k * 136 + 2 * j] * side - px,
          r.y + data[k * 136 + 2 * j + 1] * side - py,
        ]);
      }
      result[i] = pts;
    });
    return result;
  }

  /** Frees the weights. */
  dispose(): void {
    this.#w.dispose();
  }
}
