/**
 * face-api's Tiny Face Detector (a Tiny-YOLOv2 with separable convs, 5 anchors, one class) on
 * our tfjs-core ops: the forward pass of @vladmandic/face-api `src/tinyFaceDetector/` +
 * `src/tinyYolov2/` (MIT, (c) Vincent Muehler / Vladimir Mandic), weights from
 * `model/tiny_face_detector_model*`.
 *
 * Input: the photo padded to a square (bottom/right), resized to 416, mean-RGB subtracted,
 * / 255. Output: a 13x13x5 grid of boxes; sigmoid objectness; greedy NMS at IoU 0.4.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type FaceApiWeights, loadFaceApiWeights } from "./face_api_weights.ts";
import { keptFaceBoxes, type ScoredBox } from "./ssd_mobilenet_v1.ts";

/** Default input side (face-api's default; any multiple of 32 works). */
export const TINY_INPUT_SIZE = 416;
const IOU_THRESHOLD = 0.4;
const MEAN_RGB = [117.001, 114.697, 97.404];
const ANCHORS: readonly [number, number][] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];

interface Separable {
  depthwise: tf.Tensor4D;
  pointwise: tf.Tensor4D;
  bias: tf.Tensor1D;
}

function leaky(x: tf.Tensor4D): tf.Tensor4D {
  const min = tf.mul(x, 0.10000000149011612);
  return tf.add(tf.relu(tf.sub(x, min)), min);
}

function separable(x: tf.Tensor4D, p: Separable): tf.Tensor4D {
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]) as tf.Tensor4D;
  return leaky(tf.add(tf.separableConv2d(padded, p.depthwise, p.pointwise, 1, "valid"), p.bias));
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** The loaded Tiny Face Detector. */
export class TinyFaceDetectorNet {
  readonly #w: FaceApiWeights;
  readonly #conv0: { filters: tf.Tensor4D; bias: tf.Tensor1D };
  readonly #seps: Separable[] = [];
  readonly #conv8: { filters: tf.Tensor4D; bias: tf.Tensor1D };

  private constructor(w: FaceApiWeights) {
    this.#w = w;
    this.#conv0 = { filters: w.get("conv0/filters", 4), bias: w.get("conv0/bias", 1) };
    for (let i = 1; i <= 5; i++) {
      this.#seps.push({
        depthwise: w.get(`conv${i}/depthwise_filter`, 4),
        pointwise: w.get(`conv${i}/pointwise_filter`, 4),
        bias: w.get(`conv${i}/bias`, 1),
      });
    }
    this.#conv8 = { filters: w.get("conv8/filters", 4), bias: w.get("conv8/bias", 1) };
  }

  /** Loads the weights (face-api's `model/` unless `modelDir`). */
  static async load(options: { modelDir?: string } = {}): Promise<TinyFaceDetectorNet> {
    return new TinyFaceDetectorNet(await loadFaceApiWeights("tiny_face_detector_model", options));
  }

  /** Face boxes in `image` ([h, w, 3] 0..255), in input pixels, after NMS, best first. */
  async locate(
    image: tf.Tensor3D,
    options: { minScore: number; maxResults: number; inputSize?: number },
  ): Promise<ScoredBox[]> {
    const size = options.inputSize ?? TINY_INPUT_SIZE;
    const [h, w] = image.shape;
    const side = Math.max(h, w);
    const out = tf.tidy(() => {
      const padded = tf.pad(tf.cast(image, "float32"), [[0, side - h], [0, side - w], [0, 0]]);
      const x0 = tf.image.resizeBilinear(tf.expandDims(padded, 0) as tf.Tensor4D, [size, size]);
      const x = tf.div(tf.sub(x0, tf.tensor1d(MEAN_RGB)), 255) as tf.Tensor4D;
      let y = leaky(tf.add(tf.conv2d(x, this.#conv0.filters, 1, "valid"), this.#conv0.bias));
      for (let i = 0; i < 5; i++) {
        y = tf.maxPool(y, [2, 2], [2, 2], "same");
        y = separable(y, this.#seps[i]);
      }
      y = tf.maxPool(y, [2, 2], [1, 1], "same");
      return tf.add(tf.conv2d(y, this.#conv8.filters, 1, "valid"), this.#conv8.bias);
    }); // [1, cells, cells, 5 * 5]
    const cells = out.shape[1]!;
    const d = await out.data();
    out.dispose();
    const boxes: number[] = [], scores: number[] = [];
    for (let row = 0; row < cells; row++) {
      for (let col = 0; col < cells; col++) {
        for (let a = 0; a < ANCHORS.length; a++) {
          const o = ((row * cells + col) * ANCHORS.length + a) * 5;
          const score = sigmoid(d[o + 4]);
          if (score <= options.minScore) continue;
          const cx = (col + sigmoid(d[o])) / cells, cy = (row + sigmoid(d[o + 1])) / cells;
          const bw = Math.exp(d[o + 2]) * ANCHORS[a][0] / cells;
          const bh = Math.exp(d[o + 3]) * ANCHORS[a][1] / cells;
          boxes.push(cy - bh / 2, cx - bw / 2, cy + bh / 2, cx + bw / 2); // ymin xmin ymax xmax
          scores.push(score);
        }
      }
    }
    const b = new Float32Array(boxes), s = new Float32Array(scores);
    return keptFaceBoxes(b, s, {
      side,
      width: w,
      height: h,
      maxResults: options.maxResults,
      minScore: options.minScore,
      iouThreshold: IOU_THRESHOLD,
    });
  }

  /** Frees the weights. */
  dispose(): void {
    this.#w.dispose();
  }
}
