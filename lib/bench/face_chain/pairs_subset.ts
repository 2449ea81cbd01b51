/**
 * A smaller verification set for quick chain runs: the first n/2 same and n/2 different pairs
 * of a set, with only their images, re-folded with the LFW stratified rule (so every fold still
 * holds both classes).
 *
 * @module
 */
import {
  type EncodedImage,
  stratifiedFolds,
  type VerificationSet,
} from "../../data/verification/mod.ts";

/** Raised for a subset size the protocol cannot fold. */
export class PairsSubsetError extends Error {
  override name = "PairsSubsetError";
}

/**
 * The first ceil(n/2) same and floor(n/2) different pairs of `set` (file order kept), their
 * images only; `n` >= the set size returns the set unchanged.
 *
 * @param set a loaded verification set
 * @param n pairs to keep (>= 20: ten folds of both classes)
 */
export function subsetPairs(set: VerificationSet, n: number): VerificationSet {
  const P = set.issame.length;
  if (n >= P) return set;
  if (!Number.isInteger(n) || n < 20) {
    throw new PairsSubsetError(`need at least 20 pairs (10 folds x 2 classes), asked for ${n}`);
  }
  let wantSame = Math.ceil(n / 2), wantDiff = n - wantSame;
  const keep: number[] = [];
  for (let p = 0; p < P; p++) {
    if (set.issame[p] && wantSame > 0) keep.push(p), wantSame--;
    else if (!set.issame[p] && wantDiff > 0) keep.push(p), wantDiff--;
  }
  const remap = new Map<number, number>();
  const images: EncodedImage[] = [];
  const pairs = new Int32Array(keep.length * 2);
  keep.forEach((p, j) => {
    for (let s = 0; s < 2; s++) {
      const i = set.pairs[2 * p + s];
      let k = remap.get(i);
      if (k === undefined) remap.set(i, k = images.push(set.images[i]) - 1);
      pairs[2 * j + s] = k;
    }
  });
  const issame = keep.map((p) => set.issame[p]);
  return {
    name: `${set.name} (first ${keep.length} pairs)`,
    images,
    pairs,
    issame,
    folds: stratifiedFolds(issame),
  };
}
