import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "../../../tests/support/assert.ts";
import { MetricInputError } from "./errors.ts";
import { kfoldIds, kfoldSizes } from "./folds.ts";
import { numpyMean, numpyStd } from "./numpy_stats.ts";
import { accuracyThresholds, verificationAccuracy } from "./verification.ts";

Deno.test("accuracyThresholds: 400 values i/100, exact decimals", () => {
  const t = accuracyThresholds();
  assertEquals(t.length, 400);
  assertEquals(t[0], 0);
  assertEquals(t[3], 0.03); // np.arange would give 0.030000000000000002
  assertEquals(t[399], 3.99);
});

Deno.test("kfoldSizes: sklearn KFold sizes, first P % 10 folds one larger", () => {
  assertEquals(kfoldSizes(23), [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
  assertEquals(kfoldSizes(6000), Array(10).fill(600));
  assertEquals(kfoldSizes(10), Array(10).fill(1));
  assertEquals(Array.from(kfoldIds(13)), [0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertThrows(() => kfoldSizes(9), MetricInputError);
});

Deno.test("verificationAccuracy: separable set, leave-one-out folds worked by hand", () => {
  // 10 pairs, 10 folds of 1 pair. same: 0.1..0.5, different: 1.0..1.4.
  // Folds 0-3 and 5-9: training same max 0.5 -> lowest perfect threshold 0.51 (0.50 < 0.50 is
  // false); every held-out pair right. Fold 4 holds out the 0.5 same pair: training same max
  // 0.4 -> threshold 0.41, and 0.5 < 0.41 is false -> that fold scores 0.
  // accuracy 0.9; population std sqrt((9 * 0.1^2 + 0.9^2) / 10) = 0.3 (ddof=1 would be 0.316).
  const d = [0.1, 0.2, 0.3, 0.4, 0.5, 1.0, 1.1, 1.2, 1.3, 1.4];
  const same = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
  const r = verificationAccuracy(d, same);
  assertEquals(r.foldAccuracies, [1, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
  assertEquals(r.bestThresholds, [0.51, 0.51, 0.51, 0.51, 0.41, 0.51, 0.51, 0.51, 0.51, 0.51]);
  assertAlmostEquals(r.accuracy, 0.9, 1e-15);
  assertAlmostEquals(r.std, 0.3, 1e-15);
  assertAlmostEquals(r.meanThreshold, 0.5, 1e-15);
  assertEquals(r.foldSizes, Array(10).fill(1));
});

Deno.test("verificationAccuracy: all thresholds tie -> the lowest (0.00) wins", () => {
  // 20 pairs all at distance 2.0, folds of (same, different). Training: 9 same + 9 different;
  // any threshold predicts all-different (th <= 2.00) or all-same (th >= 2.01): 9/18 each.
  // argmax -> 0.00; the held-out fold is predicted all-different: 1/2.
  const d = Array(20).fill(2.0);
  const same = d.map((_, i) => (i % 2 === 0 ? 1 : 0));
  const r = verificationAccuracy(d, same);
  assertEquals(r.bestThresholds, Array(10).fill(0));
  assertEquals(r.foldAccuracies, Array(10).fill(0.5));
  assertEquals(r.accuracy, 0.5);
  assertEquals(r.std, 0);
});

Deno.test("verificationAccuracy: inverted set -> 0.5, threshold 0 (tie with 3.01 broken low)", () => {
  // same pairs at 3.0, different at 0.5. Training (9 + 9): th <= 0.50 -> 9/18; 0.51..3.00 -> 0;
  // th >= 3.01 -> 9/18. Lowest max = 0.00 -> held-out (1 same, 1 different) scores 1/2.
  const d = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 3.0 : 0.5));
  const same = d.map((_, i) => (i % 2 === 0 ? true : false));
  const r = verificationAccuracy(d, same);
  assertEquals(r.bestThresholds, Array(10).fill(0));
  assertEquals(r.accuracy, 0.5);
});

Deno.test("verificationAccuracy: given folds, worked by hand", () => {
  // folds [0, 1, 0, 1]; d = [0.1 S, 0.2 S, 0.9 D, 0.3 D].
  // fold 0: train {0.2 S, 0.3 D} -> 0.21; test 0.1 S right, 0.9 D right -> 1.
  // fold 1: train {0.1 S, 0.9 D} -> 0.11; test 0.2 S wrong, 0.3 D right -> 0.5.
  const r = verificationAccuracy([0.1, 0.2, 0.9, 0.3], [1, 1, 0, 0], {
    folds: new Int32Array([0, 1, 0, 1]),
  });
  assertEquals(r.bestThresholds, [0.21, 0.11]);
  assertEquals(r.foldAccuracies, [1, 0.5]);
  assertEquals(r.accuracy, 0.75);
  assertEquals(r.std, 0.25);
  assertAlmostEquals(r.meanThreshold, 0.16, 1e-15);
  assertEquals(r.foldSizes, [2, 2]);
});

Deno.test("verificationAccuracy: given folds equal to KFold ids give the default result", () => {
  const d = Array.from({ length: 57 }, (_, i) => ((i * 37) % 101) / 30);
  const same = d.map((_, i) => (i * 7) % 3 === 0);
  assertEquals(
    verificationAccuracy(d, same, { folds: kfoldIds(57) }),
    verificationAccuracy(d, same),
  );
  assertEquals(verificationAccuracy(d, same).foldSizes, [6, 6, 6, 6, 6, 6, 6, 5, 5, 5]);
});

Deno.test("verificationAccuracy: 6000 pairs (LFW's size) give ten folds of 600", () => {
  // Its speed is measured in verification_bench.ts (`deno task bench-micro`), not asserted.
  const d = Float64Array.from({ length: 6000 }, (_, i) => ((i * 7919) % 4000) / 1000);
  const same = Array.from({ length: 6000 }, (_, i) => i % 2 === 0);
  const r = verificationAccuracy(d, same);
  assertEquals(r.foldSizes, Array(10).fill(600));
  // The distances carry no signal about sameness here: the accuracy is near chance.
  assert(Math.abs(r.accuracy - 0.5) < 0.05, `accuracy ${r.accuracy}`);
  assert(r.foldAccuracies.every((a) => a >= 0 && a <= 1), `${r.foldAccuracies}`);
});

Deno.test("verificationAccuracy: bad input -> MetricInputError naming what and where", () => {
  assertThrows(() => verificationAccuracy([0.1, 0.2], [1]), MetricInputError);
  const e = assertThrows(() => verificationAccuracy([0.1, NaN, 0.3], [1, 0, 1]), MetricInputError);
  assert(e.message.includes("distances[1]"), e.message);
  assertThrows(() => verificationAccuracy([0.1, 0.2], [1, 0]), MetricInputError); // < 10 pairs
  assertThrows(
    () => verificationAccuracy([0.1, 0.2, 0.3], [1, 0, 1], { folds: [0, 2, 0] }),
    MetricInputError,
  );
  assertThrows(
    () => verificationAccuracy([0.1, 0.2, 0.3], [1, 0, 1], { folds: [0, 1] }),
    MetricInputError,
  );
});

Deno.test("numpyStd is the population std (ddof=0); numpyMean pairwise", () => {
  assertEquals(numpyStd([1, 2, 3, 4]), Math.sqrt(1.25));
  assertEquals(numpyMean([1, 2, 3, 4]), 2.5);
  const many = Array.from({ length: 1000 }, (_, i) => i / 7);
  assertAlmostEquals(numpyMean(many), 999 / 14, 1e-12);
});
