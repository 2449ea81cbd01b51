/**
 * Test support for photo verification: the eval.json a face-api evaluation on lfw-view1 writes
 * (only the fields verification reads; the threshold is what `deno task eval --model face-api
 * --sets lfw-view1` measured on this machine), and a noise PNG without a face.
 *
 * @module
 */
import sharp from "sharp";

/** A face-api eval.json on lfw-view1 (threshold 0.149, FAR 2.2%, TAR 96.6% at it). */
export const FACE_API_VIEW1_EVAL = {
  model: "face-api",
  modelInfo: { name: "face-api", inputSize: 150, channelOrder: "RGB", backend: "wasm" },
  flip: true,
  workers: 1,
  time: "2026-12-02T20:38:00Z",
  sets: [{
    set: "lfw-view1",
    pairs: 1000,
    uniqueImages: 1000,
    alignment: { template: "arcface_96", source: "lfw_112x112" },
    metrics: {
      accuracy: 0.971,
      std: 0.0137,
      meanThreshold: 0.14899999999999997,
      bestThresholds: [0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.14],
      atMeanThreshold: {
        threshold: 0.14899999999999997,
        far: 0.022,
        tar: 0.966,
        falseAccepts: 11,
        differentPairs: 500,
        trueAccepts: 483,
        samePairs: 500,
      },
      collapse: { collapsed: false, reasons: [] },
    },
  }],
};

/** Writes {@linkcode FACE_API_VIEW1_EVAL} to `path`. */
export async function writeFaceApiEval(path: string): Promise<string> {
  await Deno.writeTextFile(path, JSON.stringify(FACE_API_VIEW1_EVAL));
  return path;
}

/** A size x size PNG of hashed noise (decodes fine, has no face). */
export async function noisePng(path: string, size = 300): Promise<string> {
  const noise = new Uint8Array(size * size * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.imul(i, 2654435761) >>> 24;
  await sharp(noise, { raw: { width: size, height: size, channels: 3 } }).png().toFile(path);
  return path;
}
