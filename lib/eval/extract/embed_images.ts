/**
 * Embeds a list of encoded face crops with a pool of Workers (one wasm instance, hence one
 * core, each), every image once, in order, with the flip test by default.
 *
 * @module
 */
import type { EncodedImage } from "../../data/verification/mod.ts";
import { WorkerClient } from "../../workers/worker_rpc.ts";

/** Raised when a worker cannot load the model or embed an image. */
export class EmbeddingError extends Error {
  override name = "EmbeddingError";
}

/** Options of {@linkcode embedImages}. */
export interface EmbedImagesOptions {
  /** Also embed the mirrored image and sum the two (insightface's protocol; default true). */
  flip?: boolean;
  /** Images per model call (default 16). */
  batchSize?: number;
  /** Workers, one core each (default: the number of cores). */
  workers?: number;
  /** Backend for the workers (default: `auto`, i.e. wasm here). */
  backend?: string;
  /** Passed to `loadEmbedder` in each worker (e.g. `{inputScale: "0-255"}`). */
  modelOptions?: Record<string, unknown>;
  /** Called after each batch. */
  onProgress?: (p: { done: number; total: number; imagesPerSec: number }) => void;
}

/** What {@linkcode embedImages} returns. */
export interface EmbeddingsResult {
  /** [N * dim] model(x) + model(flip(x)) (or model(x) without flip), NOT normalised. */
  embeddings: Float32Array;
  /** [N * dim] model(x) alone (for XNorm). */
  plain: Float32Array;
  /** Embedding size. */
  dim: number;
  /** Whether the flip test was applied. */
  flip: boolean;
  /** The model's name, input side, channel order and the workers' backend. */
  model: { name: string; inputSize: number; channelOrder: "RGB"; backend: string };
  /** Images per second over the whole run (model loading excluded). */
  imagesPerSec: number;
  /** Workers used. */
  workers: number;
}

interface Info {
  name: string;
  inputSize: number;
  embeddingSize: number;
  channelOrder: "RGB";
  backend: string;
}

/** A batch's reply (see embed_worker.ts). */
interface EmbedReply {
  plain: ArrayBuffer;
  flipped: ArrayBuffer | null;
}

/**
 * Embeds `images` with the model `spec` (`face-api` or a model.json path; see `loadEmbedder`).
 *
 * @throws {EmbeddingError} naming the batch's first image when a batch fails (e.g. an image
 *   that does not decode), or the model when it cannot load; no partial result is returned.
 */
export async function embedImages(
  images: readonly EncodedImage[],
  spec: string,
  options: EmbedImagesOptions = {},
): Promise<EmbeddingsResult> {
  const flip = options.flip ?? true;
  const batchSize = options.batchSize ?? 16;
  const nWorkers = Math.max(
    1,
    Math.min(options.workers ?? (navigator.hardwareConcurrency || 2), 8),
  );
  const url = new URL("./embed_worker.ts", import.meta.url);
  const workers = Array.from({ length: nWorkers }, () =>
    new WorkerClient(url, {
      toError: (p) => new EmbeddingError(p.message),
      crashError: (m) => new EmbeddingError(`embedding worker crashed: ${m}`),
    }));
  try {
    const infos = await Promise.all(workers.map((w) =>
      w.call<Info>("init", {
        spec,
        backend: options.backend,
        modelOptions: options.modelOptions,
        // Native (oneDNN) workers share the cores, as training replicas do.
        threads: Math.max(1, Math.floor((navigator.hardwareConcurrency || nWorkers) / nWorkers)),
      })
    ));
    const dim = infos[0].embeddingSize;
    const embeddings = new Float32Array(images.length * dim);
    const plain = new Float32Array(images.length * dim);
    const starts: number[] = [];
    for (let i = 0; i < images.length; i += batchSize) starts.push(i);
    let next = 0, done = 0;
    const t0 = performance.now();
    const run = async (w: WorkerClient) => {
      while (next < starts.length) {
        const start = starts[next++];
        const chunk = images.slice(start, start + batchSize);
        const buffers = chunk.map((im) => im.bytes.slice().buffer); // copies: the sources stay usable
        let r;
        try {
          r = await w.call<EmbedReply>("embed", { images: buffers, flip }, buffers);
        } catch (e) {
          throw new EmbeddingError(
            `embedding images ${start}..${start + chunk.length - 1} (first: ${
              chunk[0].path ?? chunk[0].key
            }) failed: ${(e as Error).message}`,
          );
        }
        const a = new Float32Array(r.plain);
        plain.set(a, start * dim);
        if (r.flipped) {
          const b = new Float32Array(r.flipped);
          for (let i = 0; i < a.length; i++) a[i] += b[i];
        }
        embeddings.set(a, start * dim);
        done += chunk.length;
        const sec = (performance.now() - t0) / 1000;
        options.onProgress?.({ done, total: images.length, imagesPerSec: done / sec });
      }
    };
    await Promise.all(workers.map(run));
    const sec = (performance.now() - t0) / 1000;
    const { name, inputSize, channelOrder, backend } = infos[0];
    return {
      embeddings,
      plain,
      dim,
      flip,
      model: { name, inputSize, channelOrder, backend },
      imagesPerSec: images.length / sec,
      workers: nWorkers,
    };
  } finally {
    for (const w of workers) w.terminate(new EmbeddingError("the embedding workers were stopped"));
  }
}
