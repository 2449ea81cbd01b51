/**
 * The interface every evaluated face-embedding model implements, the input scales a model may
 * expect, and the error raised when a model cannot be loaded.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { bilinearSampler, float32Fraction } from "../../image/bilinear.ts";

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

/**
 * Samples the box [x0, x0+bw) x [y0, y0+bh) (pixel units, edges, not centres) of an interleaved
 * HxWxC image onto an SxS grid with bilinear interpolation; pixels outside the image are filled
 * per `mode` ("mirror": without repeating the edge pixel, numpy 'reflect').
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
  const sample = bilinearSampler({ data: src, width: w, height: h, channels: c }, {
    border: mode === "mirror" ? "reflect101" : "clamp",
  });
  const out = new Float32Array(size * size * c);
  const sx = bw / size, sy = bh / size;
  // The column weights are kept in float32 (as before the sampler was shared), the rows' in float64.
  const xs = Float64Array.from(
    { length: size },
    (_, j) => float32Fraction(x0 + (j + 0.5) * sx - 0.5),
  );
  for (let i = 0; i < size; i++) {
    const y = y0 + (i + 0.5) * sy - 0.5;
    for (let j = 0; j < size; j++) sample(xs[j], y, out, (i * size + j) * c);
  }
  return out;
}
