/**
 * Worker side of {@linkcode embedImages}: owns one wasm instance (one core) and one loaded
 * model; decodes encoded images, preprocesses them for the model and embeds them, with the
 * flip test when asked.
 *
 * Protocol (messages are plain objects; pixel/embedding buffers are transferred):
 * - in  `{type: "init", spec, backend?, modelOptions?}` -> out `{type: "ready", info}` | `{type: "error", message}`
 * - in  `{type: "embed", id, images: ArrayBuffer[], flip}` ->
 *   out `{type: "result", id, plain: ArrayBuffer, flipped: ArrayBuffer | null}` | `{type: "error", id, message}`
 *
 * @module
 */
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import { setupBackend } from "../../backend/mod.ts";
import { type FaceEmbedder, loadEmbedder } from "../models/mod.ts";

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

self.onmessage = async (ev: MessageEvent) => {
  const msg = ev.data;
  try {
    if (msg.type === "init") {
      await setupBackend(msg.backend);
      embedder = await loadEmbedder(msg.spec, msg.modelOptions ?? {});
      self.postMessage({
        type: "ready",
        info: {
          name: embedder.name,
          inputSize: embedder.inputSize,
          embeddingSize: embedder.embeddingSize,
          channelOrder: embedder.channelOrder,
          backend: tf.getBackend(),
        },
      });
    } else if (msg.type === "embed") {
      const r = await embedBatch(msg.images, msg.flip);
      const transfer = r.flipped ? [r.plain, r.flipped] : [r.plain];
      self.postMessage({ type: "result", id: msg.id, ...r }, { transfer });
    }
  } catch (e) {
    self.postMessage({ type: "error", id: msg.id, message: (e as Error).message ?? String(e) });
  }
};
