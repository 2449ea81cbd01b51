/**
 * Seeded synthetic embeddings and pairs for the metric tests (not exported by mod.ts).
 *
 * @module
 */

/** mulberry32: a small seeded uniform generator on [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
