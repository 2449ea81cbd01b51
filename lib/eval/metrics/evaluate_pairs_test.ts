import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "../../../tests/support/assert.ts";
import { pairDistances } from "./distances.ts";
import { MetricInputError } from "./errors.ts";
import { evaluateVerification } from "./evaluate_pairs.ts";
import { ratesAtThreshold } from "./verification.ts";
import { l2NormalizeRows, xnorm } from "./normalize.ts";
import { randomPairs, randomSet } from "../../../tests/support/metrics_data.ts";

Deno.test("l2NormalizeRows / xnorm / pairDistances on a hand case", () => {
  const e = new Float32Array([3, 4, 0, 0, 0, 2]);
  assertEquals(Array.from(l2NormalizeRows(e, 2)), [0.6, 0.8, 0, 0, 0, 1].map(Math.fround));
  assertEquals(xnorm(e, 2), 7 / 3); // (5 + 0 + 2) / 3
  const n = new Float32Array([1, 0, 0, 1, -1, 0]);
  assertEquals(Array.from(pairDistances(n, 2, [0, 1, 0, 2, 1, 1])), [2, 4, 0]);
  assertThrows(() => pairDistances(n, 2, [0, 1, 2]), MetricInputError);
  const e2 = assertThrows(() => pairDistances(n, 2, [0, 3]), MetricInputError);
  assert(e2.message.includes("pairs[1]"), e2.message);
  assertThrows(() => l2NormalizeRows([1, 2, 3], 2), MetricInputError);
  const e3 = assertThrows(() => l2NormalizeRows([1, NaN], 2), MetricInputError);
  assert(e3.message.includes("row 0, column 1"), e3.message);
});

Deno.test("evaluateVerification: perfectly separable set -> accuracy 1, AUC 1, TAR 1 (FAR quirk)", () => {
  // 40 identities on the axes of R^40, each with two slightly perturbed images; pair k
  // compares identity k's two images (same) or identity k with identity k + 1 (different).
  const dim = 40;
  const e = new Float32Array(80 * dim);
  for (let id = 0; id < 40; id++) {
    e[(2 * id) * dim + id] = 1;
    e[(2 * id + 1) * dim + id] = 1;
    e[(2 * id + 1) * dim + ((id + 1) % dim)] = 0.1;
  }
  const pairs: number[] = [];
  const issame: boolean[] = [];
  for (let k = 0; k < 40; k++) {
    if (k % 2 === 0) pairs.push(2 * k, 2 * k + 1);
    else pairs.push(2 * k, 2 * ((k + 1) % 40));
    issame.push(k % 2 === 0);
  }
  const r = evaluateVerification(e, { dim, pairs, issame, rawEmbeddings: e });
  assertEquals(r.pairs, 40);
  assertEquals(r.accuracy, 1);
  assertEquals(r.std, 0);
  assertEquals(r.auc, 1);
  assertEquals(r.tarAtFar["1e-3"].tar, 1);
  // insightface's interpolation quirk: every different pair is at exactly 2, so far_train is 0
  // up to threshold 2.000 and 1 from 2.001; interp at 1e-3 gives 2.000001 > 2, which accepts
  // every held-out different pair: FAR 1 (not ~1e-3). Faithful to calculate_val.
  assertEquals(r.tarAtFar["1e-3"].far, 1);
  assertEquals(r.collapse.collapsed, false);
  assertAlmostEquals(r.xnorm!, (1 + Math.sqrt(1.01)) / 2, 1e-6);
  JSON.stringify(r); // JSON-safe
});

Deno.test("evaluateVerification: random embeddings ~chance, ROC stored <= 500 points", () => {
  const { embeddings, dim } = randomSet(1000, 32, 7);
  const { pairs, issame } = randomPairs(1000, 3000, 8);
  const r = evaluateVerification(embeddings, { dim, pairs, issame });
  assert(r.accuracy > 0.4 && r.accuracy < 0.6, `accuracy ${r.accuracy}`);
  assert(r.auc > 0.4 && r.auc < 0.6, `auc ${r.auc}`);
  assert(r.roc.fpr.length <= 500 && r.roc.fpr.length > 100);
  assertEquals(r.roc.fpr[0], 0);
  assertEquals(r.roc.tpr[r.roc.tpr.length - 1], 1);
  assertEquals(r.bestThresholds.length, 10);
  assertEquals(r.xnorm, null);
  assertEquals(r.collapse.collapsed, false);
});

Deno.test("evaluateVerification: collapsed model is flagged; bad labels throw", () => {
  const dim = 16;
  const e = Float32Array.from({ length: 100 * dim }, (_, i) => 1 + 1e-4 * ((i * 7) % 13));
  const { pairs, issame } = randomPairs(100, 200, 3);
  const r = evaluateVerification(e, { dim, pairs, issame });
  assert(r.collapse.collapsed);
  assert(r.collapse.reasons[0].includes("all 200 squared distances are below 0.01"));
  assertThrows(
    () => evaluateVerification(e, { dim, pairs, issame: issame.slice(1) }),
    MetricInputError,
  );
});

Deno.test("ratesAtThreshold: hand case, strict rule; evaluateVerification stores it at meanThreshold", () => {
  const d = [0.1, 0.2, 0.3, 0.3, 0.5, 0.9];
  const same = [true, true, false, true, false, false];
  const r = ratesAtThreshold(d, same, 0.3); // accepted: 0.1, 0.2 (0.3 is not < 0.3)
  assertEquals(r, {
    threshold: 0.3,
    far: 0,
    tar: 2 / 3,
    falseAccepts: 0,
    differentPairs: 3,
    trueAccepts: 2,
    samePairs: 3,
  });
  const r2 = ratesAtThreshold(d, same, 0.6);
  assertEquals([r2.falseAccepts, r2.trueAccepts], [2, 3]);
  assertThrows(() => ratesAtThreshold([0.1], [true, false], 0.5), MetricInputError);

  const { embeddings, dim } = randomSet(200, 16, 3);
  const { pairs, issame } = randomPairs(200, 300, 4);
  const ev = evaluateVerification(embeddings, { dim, pairs, issame });
  const dist = pairDistances(l2NormalizeRows(embeddings, dim), dim, pairs);
  assertEquals(ev.atMeanThreshold, ratesAtThreshold(dist, issame, ev.meanThreshold));
  assertEquals(ev.atMeanThreshold.samePairs + ev.atMeanThreshold.differentPairs, 300);
});
