/**
 * The seeded random number generators, the one place for them. Every random decision (convert's
 * shuffles and interleaving, the pipeline's shard order, shuffle buffer and per-example
 * augmentation, synthetic test data) draws from a generator whose seed is derived from a run's
 * seed and a position, never from timing, so runs are reproducible. Two generators, each pinned
 * (their sequences are part of the data: shuffled outputs, resume and determinism depend on them):
 * - {@linkcode mulberry32}: one 32-bit word of state; convert's shuffles and test data.
 * - {@linkcode createRng}: sfc32, four words of state, seeded via {@linkcode deriveSeed}; the
 *   training input pipeline.
 *
 * @module
 */

/** A generator of uniform floats in [0, 1). */
export interface Rng {
  /** Next uniform float in [0, 1) (32 bits of randomness). */
  next(): number;
  /** Next uniform integer in [0, n) for 1 <= n <= 2^32. */
  int(n: number): number;
  /** Next uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
}

/** Murmur3's 32-bit finaliser: a bijective mix of a uint32. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a list of non-negative integers (each < 2^53) into one uint32 seed. Used to derive
 * independent streams, e.g. `deriveSeed([seed, epoch, index])`.
 */
export function deriveSeed(parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x100000000) >>> 0;
    h = fmix32((h ^ fmix32(lo)) + 0x7f4a7c15);
    h = fmix32((h ^ fmix32(hi + 0x632be5ab)) + 0x7f4a7c15);
  }
  return h;
}

/**
 * A seeded generator (sfc32, four 32-bit words of state, period >= 2^32) started from `seed`.
 * Same seed, same sequence.
 */
export function createRng(seed: number): Rng {
  let a = deriveSeed([seed, 1]);
  let b = deriveSeed([seed, 2]);
  let c = deriveSeed([seed, 3]);
  let d = 1;
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  return {
    next: () => u32() / 0x100000000,
    int: (n: number) => Math.floor((u32() / 0x100000000) * n),
    uniform: (lo: number, hi: number) => lo + (u32() / 0x100000000) * (hi - lo),
  };
}

/** A mulberry32 generator: returns floats in [0, 1) (32 bits) from a 32-bit seed. */
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

/**
 * Shuffles `items` in place (Fisher-Yates driven by mulberry32(`seed`)) and returns them. The
 * same seed and input give the same order on every machine and Deno version.
 */
export function seededShuffle<T>(items: T[], seed: number): T[] {
  const rand = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
