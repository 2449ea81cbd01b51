/**
 * Seeded synthetic embeddings and pairs for the metric tests (not exported by mod.ts).
 *
 * @module
 */

import { mulberry32 } from "../../lib/random/seeded_rng.ts";

export { mulberry32 };

/** Standard normal draw (Box-Muller) from a uniform generator. */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** n random Gaussian embeddings of size dim. */
export function randomSet(n: number, dim: number, seed: number): {
  embeddings: Float32Array;
  dim: number;
} {
  const rand = mulberry32(seed);
  return { embeddings: Float32Array.from({ length: n * dim }, () => gaussian(rand)), dim };
}

/** p random pairs over n rows, alternating labels. */
export function randomPairs(n: number, p: number, seed: number): {
  pairs: Int32Array;
  issame: boolean[];
} {
  const rand = mulberry32(seed);
  const pairs = Int32Array.from({ length: 2 * p }, () => Math.floor(rand() * n));
  return { pairs, issame: Array.from({ length: p }, (_, i) => i % 2 === 0) };
}
