/**
 * Worker side of {@linkcode embedImages}: owns one wasm instance (one core) and one loaded
 * model; decodes encoded images and embeds them with {@linkcode embedCrops} (preprocessing and
 * the flip test).
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
import { setOmpThreads } from "../../backend/native/mod.ts";
import { type FaceEmbedder, loadEmbedder } from "../models/mod.ts";
import { serveRpc, withTransfer } from "../../workers/worker_rpc.ts";
import { embedCrops } from "./embed_crops.ts";

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
  const rgb = await Promise.all(images.map((b) => decode(new Uint8Array(b))));
  const r = await embedCrops(embedder!, rgb, { flip });
  return {
    plain: r.plain.buffer as ArrayBuffer,
    flipped: r.flipped ? r.flipped.buffer as ArrayBuffer : null,
  };
}

serveRpc({
  async init(
    a: { spec: string; backend?: string; modelOptions?: Record<string, unknown>; threads?: number },
  ) {
    const info = await setupBackend(a.backend);
    // OpenMP's thread count is per calling thread: this Worker's oneDNN calls use `threads`.
    if (info.name === "native" && a.threads) setOmpThreads(a.threads);
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
