import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "../../../tests/support/assert.ts";
import { detectCollapse } from "./collapse.ts";
import { pairDistances } from "./distances.ts";
import { MetricInputError } from "./errors.ts";
import { l2NormalizeRows } from "./normalize.ts";
import { randomPairs, randomSet } from "../../../tests/support/metrics_data.ts";

Deno.test("detectCollapse: tiny distances are flagged loudly", () => {
  const d = Array.from({ length: 6000 }, (_, i) => (i % 7) * 2e-4);
  const same = d.map((_, i) => i % 2 === 0);
  const r = detectCollapse(d, same);
  assert(r.collapsed);
  assert(r.reasons[0].includes("all 6000 squared distances are below 0.01"), r.reasons[0]);
  assert(r.reasons[0].includes("max 1.20e-3"), r.reasons[0]);
  assertEquals(r.reasons.length, 2); // below 0.01 and mean different cosine > 0.99
  assertAlmostEquals(r.stats.maxDist, 1.2e-3, 1e-15);
});

Deno.test("detectCollapse: constant distance flagged by spread", () => {
  const r = detectCollapse(Array(100).fill(1.5), Array.from({ length: 100 }, (_, i) => i % 2));
  assert(r.collapsed);
  assertEquals(r.reasons.length, 1);
  assert(r.reasons[0].includes("span only"), r.reasons[0]);
});

Deno.test("detectCollapse: normal random embeddings are not flagged", () => {
  const { embeddings, dim } = randomSet(200, 64, 1);
  const normed = l2NormalizeRows(embeddings, dim);
  const { pairs, issame } = randomPairs(200, 600, 2);
  const d = pairDistances(normed, dim, pairs);
  const r = detectCollapse(d, issame, { embeddings: normed, dim, pairs });
  assertEquals(r.collapsed, false);
  assertEquals(r.reasons, []);
  assert(Math.abs(r.stats.meanDiffCosine) < 0.1);
});

Deno.test("detectCollapse: embeddings all near one vector flagged by cosine", () => {
  const dim = 8;
  const n = 40;
  const e = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) e[i * dim + j] = 1 + (j === i % dim ? 0.05 : 0);
  }
  const normed = l2NormalizeRows(e, dim);
  const pairs = Int32Array.from({ length: 40 }, (_, i) => (i * 3) % n);
  const issame = Array.from({ length: 20 }, () => 0);
  const d = pairDistances(normed, dim, pairs);
  const r = detectCollapse(d, issame, { embeddings: normed, dim, pairs });
  assert(r.collapsed);
  assert(r.reasons.some((s) => s.includes("mean cosine similarity")), r.reasons.join("\n"));
  assertThrows(() => detectCollapse(d, issame, { embeddings: normed }), MetricInputError);
});
