/**
 * Section 0's distance histograms: the squared distances of every pair, recomputed from the
 * flip-summed embeddings the evaluation kept (the same rows, the same pairs, the same
 * normalisation as `evaluateVerification`, so the histogram shows exactly what the accuracy
 * was computed from), binned by kind.
 *
 * @module
 */
import {
  type EvalReport,
  l2NormalizeRows,
  pairDistances,
  resolveSet,
  type SetResult,
} from "../../eval/mod.ts";
import { binDistances, type DistanceHistogram } from "../display/mod.ts";

/** Raised when a set's kept embeddings do not line up with the set's images. */
export class PairDistanceError extends Error {
  override name = "PairDistanceError";
}

/** The histogram of one evaluated set whose embeddings were kept (`keepEmbeddings`). */
export async function setDistanceHistogram(
  result: SetResult,
  spec: string,
  options: { binWidth?: number } = {},
): Promise<DistanceHistogram> {
  const emb = result.embeddings;
  if (!emb) {
    throw new PairDistanceError(
      `set ${result.set}: the evaluation kept no embeddings; evaluate with keepEmbeddings: true`,
    );
  }
  const set = await resolveSet(spec);
  const mismatch = set.images.findIndex((im, i) => im.key !== emb.keys[i]);
  if (set.images.length !== emb.keys.length || mismatch >= 0) {
    throw new PairDistanceError(
      `set ${spec}: ${set.images.length} images now, ${emb.keys.length} embeddings kept` +
        (mismatch >= 0
          ? `; image ${mismatch} is ${set.images[mismatch].key}, ` +
            `the embedding's key ${emb.keys[mismatch]}`
          : "") +
        `: the set changed on disk since it was evaluated; evaluate again`,
    );
  }
  const flat = new Float32Array(emb.keys.length * emb.dim);
  emb.values.forEach((row, i) => flat.set(row, i * emb.dim));
  const distances = pairDistances(l2NormalizeRows(flat, emb.dim), emb.dim, set.pairs); // [P]
  return {
    set: result.set,
    ...binDistances(distances, set.issame, options),
    meanThreshold: result.metrics.meanThreshold,
    bestThresholds: result.metrics.bestThresholds,
  };
}

/** The histogram of every set of `report`, `specs` naming them in the same order. */
export async function distanceHistograms(
  report: EvalReport,
  specs: readonly string[],
): Promise<DistanceHistogram[]> {
  const out: DistanceHistogram[] = [];
  for (const [i, s] of report.sets.entries()) out.push(await setDistanceHistogram(s, specs[i]));
  return out;
}
