/**
 * face-api's face-recognition net (a dlib ResNet-34 "metric" network, 150x150 RGB -> 128-d) as
 * a {@linkcode FaceEmbedder}, run with our own tfjs-core ops on the caller's engine.
 *
 * The forward pass follows @vladmandic/face-api's `src/faceRecognitionNet/` (MIT,
 * (c) Vincent Muehler / Vladimir Mandic), itself a port of dlib's
 * `dlib_face_recognition_resnet_model_v1` (Davis E. King, CC0/Boost). face-api's JS is not
 * imported: its ESM build pulls the umbrella @tensorflow/tfjs (unresolvable extensionless imports
 * in Deno) and a second tfjs-core instance; only its weight files are read.
 *
 * Input: an insightface-aligned 112 crop is re-cropped to dlib's chip geometry (the box
 * x 0.044..0.968, y 0.179..1.103 of the crop, mirrored below the image) and resized to 150.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { ALIGNED_SIZE, type FaceEmbedder, ModelLoadError, sampleBilinear } from "./embedder.ts";
import { readJsonFile, readWeightShards } from "./model_files.ts";

/** Where face-api's model files live in this repository's node_modules. */
export const FACE_API_MODEL_DIR = new URL(
  "../../../node_modules/@vladmandic/face-api/model/",
  import.meta.url,
).pathname;

/** dlib's 150x150 chip as a box of the insightface 112 crop (fractions of width/height). */
export const DLIB_CHIP_BOX = { x0: 0.044, x1: 0.968, y0: 0.179, y1: 1.103 } as const;

/** The net's side. */
export const FACE_API_INPUT_SIZE = 150;

/** Per-channel mean the net subtracts (RGB, 0..255), before dividing by 255. */
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/**
 * dlib re-crop of a 112x112x3 RGB crop to 150x150x3 float32 0..255 (bilinear, half-pixel
 * centres, mirror fill outside the crop).
 */
export function dlibRecrop(rgb112: Uint8Array, size = FACE_API_INPUT_SIZE): Float32Array {
  const n = ALIGNED_SIZE;
  if (rgb112.length !== n * n * 3) {
    throw new RangeError(`Expected ${n * n * 3} bytes (112x112 RGB), got ${rgb112.length}.`);
  }
  const b = DLIB_CHIP_BOX;
  return sampleBilinear(
    rgb112,
    n,
    n,
    3,
    size,
    b.x0 * n,
    b.y0 * n,
    (b.x1 - b.x0) * n,
    (b.y1 - b.y0) * n,
    "mirror",
  );
}

interface ConvParams {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
  scaleW: tf.Tensor1D;
  scaleB: tf.Tensor1D;
}
interface ResParams {
  conv1: ConvParams;
  conv2: ConvParams;
}

function convLayer(
  x: tf.Tensor4D,
  p: ConvParams,
  stride: number,
  relu: boolean,
  padding: "valid" | "same",
): tf.Tensor4D {
  let out = tf.conv2d(x, p.filters, stride, padding);
  out = tf.add(out, p.bias);
  out = tf.add(tf.mul(out, p.scaleW), p.scaleB); // dlib affine (frozen batch norm)
  return relu ? tf.relu(out) : out;
}

function residual(x: tf.Tensor4D, p: ResParams): tf.Tensor4D {
  const out = convLayer(convLayer(x, p.conv1, 1, true, "same"), p.conv2, 1, false, "same");
  return tf.relu(tf.add(out, x));
}

function residualDown(x: tf.Tensor4D, p: ResParams): tf.Tensor4D {
  let out = convLayer(convLayer(x, p.conv1, 2, true, "valid"), p.conv2, 1, false, "same");
  let pooled: tf.Tensor4D = tf.avgPool(x, 2, 2, "valid");
  // The strided valid conv can be one pixel short of the pooled shortcut: pad it with zeros
  // at the bottom/right (as face-api does).
  if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
    out = tf.pad(out, [[0, 0], [0, pooled.shape[1] - out.shape[1]], [
      0,
      pooled.shape[2] - out.shape[2],
    ], [0, 0]]);
  }
  // More output channels than input: the shortcut is zero-padded in channels.
  if (pooled.shape[3] !== out.shape[3]) {
    pooled = tf.pad(pooled, [[0, 0], [0, 0], [0, 0], [0, out.shape[3] - pooled.shape[3]]]);
  }
  return tf.relu(tf.add(pooled, out));
}

const BLOCKS: [string, "res" | "down"][] = [
  ["conv32_1", "res"],
  ["conv32_2", "res"],
  ["conv32_3", "res"],
  ["conv64_down", "down"],
  ["conv64_1", "res"],
  ["conv64_2", "res"],
  ["conv64_3", "res"],
  ["conv128_down", "down"],
  ["conv128_1", "res"],
  ["conv128_2", "res"],
  ["conv256_down", "down"],
  ["conv256_1", "res"],
  ["conv256_2", "res"],
  ["conv256_down_out", "down"],
];

/** Options of {@linkcode loadFaceApiEmbedder}. */
export interface FaceApiEmbedderOptions {
  /** Folder holding `face_recognition_model-weights_manifest.json` + `.bin` (default: node_modules). */
  modelDir?: string;
}

/** Loads face-api's recognition net weights and returns it as a {@linkcode FaceEmbedder}. */
export async function loadFaceApiEmbedder(
  options: FaceApiEmbedderOptions = {},
): Promise<FaceEmbedder> {
  const dir = (options.modelDir ?? FACE_API_MODEL_DIR).replace(/\/$/, "");
  const manifest = await readJsonFile(
    `${dir}/face_recognition_model-weights_manifest.json`,
    "face-api weights manifest",
  ) as tf.io.WeightsManifestConfig;
  const { weightSpecs, weightData } = await readWeightShards(manifest, dir);
  const weights = tf.io.decodeWeights(weightData, weightSpecs);

  const used = new Set<string>();
  const get = <T extends tf.Tensor>(name: string, rank: number): T => {
    const t = weights[name];
    if (!t || t.rank !== rank) {
      throw new ModelLoadError(
        `face-api weights: '${name}' ${t ? `has rank ${t.rank}, expected ${rank}` : "missing"}.`,
      );
    }
    used.add(name);
    return t as T;
  };
  const conv = (prefix: string): ConvParams => ({
    filters: get(`${prefix}/conv/filters`, 4),
    bias: get(`${prefix}/conv/bias`, 1),
    scaleW: get(`${prefix}/scale/weights`, 1),
    scaleB: get(`${prefix}/scale/biases`, 1),
  });
  const res = (prefix: string): ResParams => ({
    conv1: conv(`${prefix}/conv1`),
    conv2: conv(`${prefix}/conv2`),
  });
  let stem: ConvParams, blocks: ResParams[], fc: tf.Tensor2D;
  try {
    stem = conv("conv32_down");
    blocks = BLOCKS.map(([name]) => res(name));
    fc = get<tf.Tensor2D>("fc", 2);
  } catch (e) {
    tf.dispose(Object.values(weights));
    throw e;
  }
  for (const [name, t] of Object.entries(weights)) if (!used.has(name)) t.dispose();
  const mean = tf.tensor1d([...MEAN_RGB]);
  const size = FACE_API_INPUT_SIZE;
  const embeddingSize = fc.shape[1];

  return {
    name: "face-api",
    inputSize: size,
    embeddingSize,
    channelOrder: "RGB",
    preprocess: (rgb112) => dlibRecrop(rgb112, size),
    embed(batch: tf.Tensor4D): tf.Tensor2D {
      if (
        batch.rank !== 4 || batch.shape[1] !== size || batch.shape[2] !== size ||
        batch.shape[3] !== 3
      ) {
        throw new RangeError(
          `face-api embed expects [B, ${size}, ${size}, 3], got [${batch.shape}].`,
        );
      }
      return tf.tidy(() => {
        let x = tf.div(tf.sub(tf.cast(batch, "float32"), mean), 255) as tf.Tensor4D;
        x = convLayer(x, stem, 2, true, "valid");
        x = tf.maxPool(x, 3, 2, "valid");
        BLOCKS.forEach(([, kind], i) => {
          x = kind === "res" ? residual(x, blocks[i]) : residualDown(x, blocks[i]);
        });
        return tf.matMul(tf.mean(x, [1, 2]) as tf.Tensor2D, fc);
      });
    },
    dispose() {
      tf.dispose([
        mean,
        fc,
        ...Object.values(stem),
        ...blocks.flatMap((b) => [
          ...Object.values(b.conv1),
          ...Object.values(b.conv2),
        ]),
      ]);
    },
  };
}
