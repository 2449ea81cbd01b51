/**
 * Evaluates a face model on verification sets with the insightface protocol and writes
 * `results/<name>/eval.json` (see docs/eval.md for its fields).
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { embedImages, type EmbedImagesOptions } from "./extract/embed_images.ts";
import { evaluateVerification } from "./metrics/mod.ts";
import { resolveSet, type SetAlignment, setAlignment } from "./resolve_set.ts";

/** Options of {@linkcode evaluateModel}. */
export interface EvaluateModelOptions extends Omit<EmbedImagesOptions, "onProgress"> {
  /** Data root for named sets. */
  dataRoot?: string;
  /** Keep the flip-summed embeddings of every set's images in the result (large). */
  keepEmbeddings?: boolean;
  /** Progress of each phase. */
  onProgress?: (
    p: { set: string; phase: "load" | "embed"; done: number; total: number; imagesPerSec?: number },
  ) => void;
}

/** One set's result (all numbers are plain JSON). */
export interface SetResult {
  set: string;
  pairs: number;
  uniqueImages: number;
  /** The geometry of the set's crops, when known (the named LFW sets: "arcface_96"). */
  alignment?: SetAlignment;
  /** Embedding seconds and images/s (model load excluded). */
  embedSeconds: number;
  imagesPerSec: number;
  /** The metrics of `evaluateVerification` (accuracy, std, thresholds, ROC, AUC, TAR@FAR, XNorm, collapse). */
  metrics: ReturnType<typeof evaluateVerification>;
  /** Flip-summed embeddings [uniqueImages][dim], with keys, when asked for. */
  embeddings?: { keys: string[]; dim: number; values: number[][] };
}

/** The whole evaluation, as saved in eval.json. */
export interface EvalReport {
  model: string;
  modelInfo: { name: string; inputSize: number; channelOrder: "RGB"; backend: string };
  /** The options the model was loaded with (e.g. `{inputScale}`), when any were given. */
  modelOptions?: Record<string, unknown>;
  flip: boolean;
  workers: number;
  time: string;
  sets: SetResult[];
}

/**
 * Embeds every unique image of each set once (flip test by default, a Worker per core) and
 * computes the verification metrics. Throws, computing nothing, when a set or the model cannot
 * be loaded.
 */
export async function evaluateModel(
  spec: string,
  sets: readonly string[],
  options: EvaluateModelOptions = {},
): Promise<EvalReport> {
  const results: SetResult[] = [];
  let info: EvalReport["modelInfo"] | undefined;
  let workers = 0, flip = options.flip ?? true;
  for (const name of sets) {
    const set = await resolveSet(name, {
      dataRoot: options.dataRoot,
      onProgress: (done, total) => options.onProgress?.({ set: name, phase: "load", done, total }),
    });
    const t0 = performance.now();
    const emb = await embedImages(set.images, spec, {
      ...options,
      onProgress: (p) => options.onProgress?.({ set: name, phase: "embed", ...p }),
    });
    const embedSeconds = (performance.now() - t0) / 1000;
    info = emb.model;
    workers = emb.workers;
    flip = emb.flip;
    const metrics = evaluateVerification(emb.embeddings, {
      dim: emb.dim,
      pairs: set.pairs,
      issame: set.issame,
      folds: set.folds,
      rawEmbeddings: emb.plain,
    });
    const result: SetResult = {
      set: set.name,
      pairs: set.issame.length,
      uniqueImages: set.images.length,
      ...(setAlignment(name) ? { alignment: setAlignment(name) } : {}),
      embedSeconds,
      imagesPerSec: set.images.length / embedSeconds,
      metrics,
    };
    if (options.keepEmbeddings) {
      result.embeddings = {
        keys: set.images.map((im) => im.key),
        dim: emb.dim,
        values: set.images.map((_, i) =>
          Array.from(emb.embeddings.subarray(i * emb.dim, (i + 1) * emb.dim))
        ),
      };
    }
    results.push(result);
  }
  return {
    model: spec,
    modelInfo: info!,
    ...(options.modelOptions ? { modelOptions: options.modelOptions } : {}),
    flip,
    workers,
    time: new Date().toISOString(),
    sets: results,
  };
}

/** Writes a report as `<dir>/eval.json` atomically (temp + rename); returns the path. */
export async function saveEvalReport(report: EvalReport, dir: string): Promise<string> {
  const path = join(dir, "eval.json");
  await writeFileAtomic(path, JSON.stringify(report, null, 1) + "\n", { mkdir: true });
  return path;
}
