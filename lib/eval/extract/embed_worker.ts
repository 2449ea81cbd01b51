/**
 * Worker side of {@linkcode embedImages}: owns one wasm instance (one core) and one loaded
 * model; decodes encoded images, preprocesses them for the model and embeds them, with the
 * flip test when asked.
 *
 * Methods (over `lib/workers/worker_rpc.ts`; image and embedding buffers are transferred):
 * - `init {spec, backend?, modelOptions?}` -> the model's info;
 * - `embed {images: ArrayBuffer[], flip}` -> `{plain: ArrayBuffer, flipped: ArrayBuffer | null}`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import { setupBackend } from "../../backend/mod.ts";
import { type FaceEmbedder, loadEmbedder } from "../models/mod.ts";
import { serveRpc, withTransfer } from "../../workers/worker_rpc.ts";

/** The 112x112 crop every evaluated set is made of (insightface-aligned). */
const CROP = 112;

let embedder: FaceEmbedder | undefined;

/** Decodes one encoded image to [112*112*3] uint8 RGB (resizing a set that is not 112). */
async function decode(bytes: Uint8Array): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace("srgb")
    .resize(CROP, CROP, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

async function embedBatch(images: ArrayBuffer[], flip: boolean) {
  const e = embedder!;
  const s = e.inputSize, d = e.embeddingSize;
  const input = new Float32Array(images.length * s * s * 3); // [n, s, s, 3]
  const rgb = await Promise.all(images.map((b) => decode(new Uint8Array(b))));
  rgb.forEach((px, i) => input.set(e.preprocess(px), i * s * s * 3));
  const x = tf.tensor4d(input, [images.length, s, s, 3]); // [n, s, s, 3]
  const plain = tf.tidy(() => e.embed(x)); // [n, d]
  const flipped = flip ? tf.tidy(() => e.embed(tf.reverse(x, 2))) : null; // mirrored width axis
  x.dispose();
  const out = {
    plain: new Float32Array(await plain.data()).buffer,
    flipped: flipped ? new Float32Array(await flipped.data()).buffer : null,
  };
  plain.dispose();
  flipped?.dispose();
  if (out.plain.byteLength !== images.length * d * 4) {
    throw new Error(
      `model returned ${out.plain.byteLength / 4} values for ${images.length} images`,
    );
  }
  return out;
}

serveRpc({
  async init(a: { spec: string; backend?: string; modelOptions?: Record<string, unknown> }) {
    await setupBackend(a.backend);
    embedder = await loadEmbedder(a.spec, a.modelOptions ?? {});
    return {
      name: embedder.name,
      inputSize: embedder.inputSize,
      embeddingSize: embedder.embeddingSize,
      channelOrder: embedder.channelOrder,
      backend: tf.getBackend(),
    };
  },
  async embed(a: { images: ArrayBuffer[]; flip: boolean }) {
    const r = await embedBatch(a.images, a.flip);
    return withTransfer(r, r.flipped ? [r.plain, r.flipped] : [r.plain]);
  },
});
