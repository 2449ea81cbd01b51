/**
 * Per-layer initializer seeds derived from one base seed, so that a whole network is
 * reproducible under a seed while no two layers share the same random stream.
 *
 * @module
 */

/** Returns the next seed, or `undefined` (non-deterministic init) when no base seed was given. */
export type SeedSequence = () => number | undefined;

/**
 * Creates a {@linkcode SeedSequence}: call `i` returns a distinct integer derived from `seed`
 * (the same sequence for the same seed), or always `undefined` when `seed` is undefined.
 */
export function createSeedSequence(seed?: number): SeedSequence {
  if (seed === undefined) return () => undefined;
  let i = 0;
  // Keep seeds in the 31-bit range; TF.js hashes the number's string form, so any
  // distinct integers give independent streams.
  return () => (Math.imul(seed | 0, 2654435761) + 7919 * ++i) >>> 1;
}
