/**
 * face-api's SSD MobileNetV1 face detector on our tfjs-core ops: the forward pass of
 * @vladmandic/face-api `src/ssdMobilenetv1/` (MIT, (c) Vincent Muehler / Vladimir Mandic), its
 * weights read from `model/ssd_mobilenetv1_model*`.
 *
 * Input: the photo padded to a square (bottom/right, zeros), resized to 512x512, scaled to
 * -1..1. Output: 5,118 anchors decoded to boxes, sigmoid face scores, greedy NMS (IoU 0.5).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type FaceApiWeights, loadFaceApiWeights } from "./face_api_weights.ts";
import type { FaceBox } from "./face_types.ts";

/** The net's input side. */
export const SSD_INPUT_SIZE = 512;
const BN_EPSILON = 0.0010000000474974513;
const IOU_THRESHOLD = 0.5;

interface Pointwise {
  filters: tf.Tensor4D;
  offset: tf.Tensor1D;
}
interface Depthwise {
  filters: tf.Tensor4D;
  scale: tf.Tensor1D;
  offset: tf.Tensor1D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}
interface Conv {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/** A box with its score (input pixels). */
export interface ScoredBox {
  /** The box. */
  box: FaceBox;
  /** Face score 0..1. */
  score: number;
}

// Fused conv + bias + relu6 (one kernel on wasm/XNNPACK); the same maths as face-api's
// conv, add, clipByValue(0, 6).
function pointwise(x: tf.Tensor4D, p: Pointwise, stride: number): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: p.filters,
    strides: stride,
    pad: "same",
    bias: p.offset,
    activation: "relu6",
  });
}

function depthwise(x: tf.Tensor4D, p: FoldedDepthwise, stride: number): tf.Tensor4D {
  return tf.fused.depthwiseConv2d({
    x,
    filter: p.filters,
    strides: stride,
    pad: "same",
    bias: p.bias,
    activation: "relu6",
  });
}

/** Batch norm folded into the depthwise filter: w * g / sqrt(v + eps), b = beta - m * that. */
interface FoldedDepthwise {
  filters: tf.Tensor4D; // [3, 3, C, 1]
  bias: tf.Tensor1D; // [C]
}

function foldBatchNorm(p: Depthwise): FoldedDepthwise {
  return tf.tidy(() => {
    const k = tf.div(p.scale, tf.sqrt(tf.add(p.variance, BN_EPSILON))); // [C]
    return {
      filters: tf.mul(p.filters, tf.reshape(k, [1, 1, -1, 1])) as tf.Tensor4D,
      bias: tf.sub(p.offset, tf.mul(p.mean, k)) as tf.Tensor1D,
    };
  });
}

function conv(x: tf.Tensor4D, p: Conv): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: p.filters, strides: 1, pad: "same", bias: p.bias });
}

/** IoU of two [ymin, xmin, ymax, xmax] boxes stored at `i` and `j` of `b` (4 per box). */
function iou(b: Float32Array, i: number, j: number): number {
  const yi0 = Math.min(b[4 * i], b[4 * i + 2]), yi1 = Math.max(b[4 * i], b[4 * i + 2]);
  const xi0 = Math.min(b[4 * i + 1], b[4 * i + 3]), xi1 = Math.max(b[4 * i + 1], b[4 * i + 3]);
  const yj0 = Math.min(b[4 * j], b[4 * j + 2]), yj1 = Math.max(b[4 * j], b[4 * j + 2]);
  const xj0 = Math.min(b[4 * j + 1], b[4 * j + 3]), xj1 = Math.max(b[4 * j + 1], b[4 * j + 3]);
  const ai = (yi1 - yi0) * (xi1 - xi0), aj = (yj1 - yj0) * (xj1 - xj0);
  if (ai <= 0 || aj <= 0) return 0;
  const inter = Math.max(Math.min(yi1, yj1) - Math.max(yi0, yj0), 0) *
    Math.max(Math.min(xi1, xj1) - Math.max(xi0, xj0), 0);
  return inter / (ai + aj - inter);
}

/** Greedy NMS over scores above `minScore` (face-api's rule); returns kept indices. */
export function greedyNms(
  boxes: Float32Array,
  scores: Float32Array,
  options: { maxOutput: number; iouThreshold: number; minScore: number },
): number[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > options.minScore) order.push(i);
  order.sort((a, b) => scores[b] - scores[a]);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= options.maxOutput) break;
    if (kept.every((j) => iou(boxes, i, j) <= options.iouThreshold)) kept.push(i);
  }
  return kept;
}

/**
 * NMS, then boxes from [0, 1] of the padded `side` x `side` square ([n * 4] ymin, xmin, ymax,
 * xmax) to input pixels of the `w` x `h` image, clipped to the image (not the padding). Both
 * detectors pad the photo to a square at the bottom/right, so both map back the same way.
 */
export function keptFaceBoxes(
  b: Float32Array,
  s: Float32Array,
  options: {
    side: number;
    width: number;
    height: number;
    maxResults: number;
    minScore: number;
    iouThreshold: number;
  },
): ScoredBox[] {
  const { side, width: w, height: h } = options;
  const kept = greedyNms(b, s, {
    maxOutput: options.maxResults,
    iouThreshold: options.iouThreshold,
    minScore: options.minScore,
  });
  return kept.map((i) => {
    const y0 = Math.max(0, b[4 * i]) * side, y1 = Math.min(h, Math.min(1, b[4 * i + 2]) * side);
    const x0 = Math.max(0, b[4 * i + 1]) * side,
      x1 = Math.min(w, Math.min(1, b[4 * i + 3]) * side);
    return { score: s[i], box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } };
  });
}

/** The loaded SSD MobileNetV1. */
export class SsdMobilenetV1 {
  readonly #w: FaceApiWeights;
  readonly #backbone: { pw: Pointwise; dw?: FoldedDepthwise }[] = [];
  readonly #extra: Pointwise[] = [];
  readonly #boxes: { box: Conv; cls: Conv }[] = [];
  readonly #anchors: tf.Tensor2D; // [5118, 4] ymin, xmin, ymax, xmax (0..1)

  private constructor(w: FaceApiWeights) {
    this.#w = w;
    const pw = (prefix: string, i: number): Pointwise => ({
      filters: w.get(`${prefix}/Conv2d_${i}_pointwise/weights`, 4),
      offset: w.get(`${prefix}/Conv2d_${i}_pointwise/convolution_bn_offset`, 1),
    });
    for (let i = 0; i <= 13; i++) {
      const d = `MobilenetV1/Conv2d_${i}_depthwise`;
      this.#backbone.push({
        pw: pw("MobilenetV1", i),
        dw: i === 0 ? undefined : foldBatchNorm({
          filters: w.get(`${d}/depthwise_weights`, 4),
          scale: w.get(`${d}/BatchNorm/gamma`, 1),
          offset: w.get(`${d}/BatchNorm/beta`, 1),
          mean: w.get(`${d}/BatchNorm/moving_mean`, 1),
          variance: w.get(`${d}/BatchNorm/moving_variance`, 1),
        }),
      });
    }
    for (let i = 0; i <= 7; i++) this.#extra.push(pw("Prediction", i));
    for (let i = 0; i <= 5; i++) {
      const p = `Prediction/BoxPredictor_${i}`;
      this.#boxes.push({
        box: {
          filters: w.get(`${p}/BoxEncodingPredictor/weights`, 4),
          bias: w.get(`${p}/BoxEncodingPredictor/biases`, 1),
        },
        cls: {
          filters: w.get(`${p}/ClassPredictor/weights`, 4),
          bias: w.get(`${p}/ClassPredictor/biases`, 1),
        },
      });
    }
    const extra = w.get<tf.Tensor3D>("Output/extra_dim", 3); // [1, 5118, 4]
    this.#anchors = tf.tidy(() => tf.reshape(extra, [-1, 4]) as tf.Tensor2D);
  }

  /** Loads the weights (face-api's `model/` unless `modelDir`). */
  static async load(options: { modelDir?: string } = {}): Promise<SsdMobilenetV1> {
    return new SsdMobilenetV1(await loadFaceApiWeights("ssd_mobilenetv1_model", options));
  }

  /** Raw net output for a [1, 512, 512, 3] -1..1 input: boxes [5118, 4], scores [5118]. */
  #forward(x: tf.Tensor4D): { boxes: tf.Tensor2D; scores: tf.Tensor1D } {
    return tf.tidy(() => {
      let out = pointwise(x, this.#backbone[0].pw, 2); // [1, 256, 256, 32]
      let conv11: tf.Tensor4D | undefined;
      for (let i = 1; i <= 13; i++) {
        const stride = [2, 4, 6, 12].includes(i) ? 2 : 1;
        out = depthwise(out, this.#backbone[i].dw!, stride);
        out = pointwise(out, this.#backbone[i].pw, 1);
        if (i === 11) conv11 = out; // [1, 32, 32, 512]
      }
      // out: [1, 16, 16, 1024]
      const e = this.#extra;
      const c1 = pointwise(pointwise(out, e[0], 1), e[1], 2);
      const c3 = pointwise(pointwise(c1, e[2], 1), e[3], 2);
      const c5 = pointwise(pointwise(c3, e[4], 1), e[5], 2);
      const c7 = pointwise(pointwise(c5, e[6], 1), e[7], 2);
      const feats = [conv11!, out, c1, c3, c5, c7];
      const enc = tf.concat(feats.map((f, i) => tf.reshape(conv(f, this.#boxes[i].box), [-1, 4])));
      const cls = tf.concat(feats.map((f, i) => tf.reshape(conv(f, this.#boxes[i].cls), [-1, 3])));
      // Decode (TF object detection box coder, scales 10, 10, 5, 5).
      const [ay0, ax0, ay1, ax1] = tf.unstack(this.#anchors, 1);
      const ah = tf.sub(ay1, ay0), aw = tf.sub(ax1, ax0);
      const acy = tf.add(ay0, tf.div(ah, 2)), acx = tf.add(ax0, tf.div(aw, 2));
      const [ty, tx, th, tw] = tf.unstack(enc, 1);
      const cy = tf.add(tf.mul(tf.div(ty, 10), ah), acy);
      const cx = tf.add(tf.mul(tf.div(tx, 10), aw), acx);
      const hh = tf.div(tf.mul(tf.exp(tf.div(th, 5)), ah), 2);
      const hw = tf.div(tf.mul(tf.exp(tf.div(tw, 5)), aw), 2);
      const boxes = tf.stack([tf.sub(cy, hh), tf.sub(cx, hw), tf.add(cy, hh), tf.add(cx, hw)], 1);
      const scores = tf.sigmoid(tf.reshape(tf.slice(cls, [0, 1], [-1, 1]), [-1]));
      return { boxes: boxes as tf.Tensor2D, scores: scores as tf.Tensor1D };
    });
  }

  /**
   * Face boxes in `image` ([h, w, 3] 0..255), in input pixels, after NMS, best score first.
   */
  async locate(
    image: tf.Tensor3D,
    options: { minScore: number; maxResults: number },
  ): Promise<ScoredBox[]> {
    const [h, w] = image.shape;
    const side = Math.max(h, w);
    const { boxes, scores } = tf.tidy(() => {
      const padded = tf.pad(tf.cast(image, "float32"), [[0, side - h], [0, side - w], [0, 0]]);
      const resized = tf.image.resizeBilinear(
        tf.expandDims(padded, 0) as tf.Tensor4D,
        [SSD_INPUT_SIZE, SSD_INPUT_SIZE],
      ); // [1, 512, 512, 3]
      return this.#forward(tf.sub(tf.div(resized, 127.5), 1) as tf.Tensor4D);
    });
    const [b, s] = await Promise.all([boxes.data(), scores.data()]) as [
      Float32Array,
      Float32Array,
    ];
    boxes.dispose();
    scores.dispose();
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
    for (const b of this.#backbone) {
      b.dw?.filters.dispose();
      b.dw?.bias.dispose();
    }
    this.#anchors.dispose();
    this.#w.dispose();
  }
}
