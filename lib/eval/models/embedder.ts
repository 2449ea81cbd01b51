/**
 * The interface every evaluated face-embedding model implements, the input scales a model may
 * expect, and the error raised when a model cannot be loaded.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Side of the insightface-aligned crops the evaluation feeds in. */
export const ALIGNED_SIZE = 112;

/**
 * How a network expects its float RGB input scaled from the 0..255 bytes:
 * `0-1` is x/255 (arcface-tf2), `0-255` is the raw bytes (models that normalise inside their graph),
 * `-1-1` is (x - 127.5) / 128 (insightface).
 */
export const INPUT_SCALES = ["0-1", "0-255", "-1-1"] as const;

/** One of {@linkcode INPUT_SCALES}. */
export type InputScale = typeof INPUT_SCALES[number];

/** Raised when a model's files are missing or unreadable, or its input/output shapes do not fit. */
export class ModelLoadError extends Error {
  override name = "ModelLoadError";
}

/** A face-embedding network as the evaluation sees it. */
export interface FaceEmbedder {
  /** Short name for reports. */
  readonly name: string;
  /** Side of the square the net takes. */
  readonly inputSize: number;
  /** Length of one embedding. */
  readonly embeddingSize: number;
  /** Channel order `preprocess` produces and `embed` takes. */
  readonly channelOrder: "RGB";
  /**
   * [112*112*3] uint8 RGB insightface-aligned crop -> [inputSize*inputSize*3] float32 in the net's
   * own input scale.
   */
  preprocess(rgb112: Uint8Array): Float32Array;
  /** [B, inputSize, inputSize, 3] -> [B, embeddingSize] (not normalised); the caller disposes. */
  embed(batch: tf.Tensor4D): tf.Tensor2D;
  /** Frees the weights. */
  dispose(): void;
}

/** Checks an input-scale option, throwing a {@linkcode ModelLoadError} that lists the valid ones. */
export function parseInputScale(value: unknown): InputScale {
  if (value === undefined) return "0-1";
  if (typeof value === "string" && (INPUT_SCALES as readonly string[]).includes(value)) {
    return value as InputScale;
  }
  throw new ModelLoadError(
    `Unknown inputScale '${String(value)}'. Valid values: ${INPUT_SCALES.join(", ")}.`,
  );
}

/** Scales 0..255 bytes into `scale`, writing float32 (same length). */
export function scaleBytes(
  src: ArrayLike<number>,
  scale: InputScale,
  dst?: Float32Array,
): Float32Array {
  const out = dst ?? new Float32Array(src.length);
  const n = src.length;
  if (scale === "0-255") { for (let i = 0; i < n; i++) out[i] = src[i]; }
  else if (scale === "0-1") { for (let i = 0; i < n; i++) out[i] = src[i] / 255; }
  else for (let i = 0; i < n; i++) out[i] = (src[i] - 127.5) / 128;
  return out;
}

/**
 * Bilinear resize of an interleaved HxWxC float/byte image to SxS (half-pixel centres, as
 * tf.image.resizeToSquare with halfPixelCenters and OpenCV's INTER_LINEAR), samples outside
 * clamped to the edge. Identity when the sizes match.
 */
export function resizeToSquare(
  src: ArrayLike<number>,
  h: number,
  w: number,
  c: number,
  size: number,
): Float32Array {
  return sampleBilinear(src, h, w, c, size, 0, 0, w, h, "clamp");
}

/** How {@linkcode sampleBilinear} fills outside the source image. */
export type SampleBorder = "clamp" | "mirror";

function borderIndex(k: number, n: number, mode: SampleBorder): number {
  if (k >= 0 && k < n) return k;
  if (mode === "clamp" || n === 1) return k < 0 ? 0 : n - 1;
  // Mirror without repeating the edge pixel (numpy 'reflect', OpenCV BORDER_REFLECT_101).
  const period = 2 * (n - 1);
  let m = ((k % period) + period) % period;
  if (m >= n) m = period - m;
  return m;
}

/**
 * Samples the box [x0, x0+bw) x [y0, y0+bh) (pixel units, edges, not centres) of an interleaved
 * HxWxC image onto an SxS grid with bilinear interpolation; pixels outside the image are filled
 * per `mode`.
 */
export function sampleBilinear(
  src: ArrayLike<number>,
  h: number,
  w: number,
  c: number,
  size: number,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  mode: SampleBorder,
): Float32Array {
  const out = new Float32Array(size * size * c);
  const sx = bw / size, sy = bh / size;
  const xs0 = new Int32Array(size), xs1 = new Int32Array(size), fx = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const x = x0 + (j + 0.5) * sx - 0.5;
    const xf = Math.floor(x);
    fx[j] = x - xf;
    xs0[j] = borderIndex(xf, w, mode) * c;
    xs1[j] = borderIndex(xf + 1, w, mode) * c;
  }
  let o = 0;
  for (let i = 0; i < size; i++) {
    const y = y0 + (i + 0.5) * sy - 0.5;
    const yf = Math.floor(y);
    const fy = y - yf;
    const r0 = borderIndex(yf, h, mode) * w * c;
    const r1 = borderIndex(yf + 1, h, mode) * w * c;
    for (let j = 0; j < size; j++) {
      const a = r0 + xs0[j], b = r0 + xs1[j], d = r1 + xs0[j], e = r1 + xs1[j];
      const wx = fx[j];
      for (let k = 0; k < c; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * wx;
        const bot = src[d + k] + (src[e + k] - src[d + k]) * wx;
        out[o++] = top + (bot - top) * fy;
      }
    }
  }
  return out;
}
