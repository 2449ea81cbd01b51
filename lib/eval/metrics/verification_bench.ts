/**
 * Time of one 10-fold verification accuracy on 6000 pairs (LFW's size; the duration check that
 * used to be a timed test, "under 500 ms"): `deno task bench-micro`.
 *
 * @module
 */
import { verificationAccuracy } from "./verification.ts";

const d = Float64Array.from({ length: 6000 }, (_, i) => ((i * 7919) % 4000) / 1000);
const same = Array.from({ length: 6000 }, (_, i) => i % 2 === 0);

Deno.bench("verificationAccuracy: 6000 pairs, 10 folds, 400 thresholds", () => {
  verificationAccuracy(d, same);
});
