import { assertEquals } from "../../../tests/support/assert.ts";
import { binDistances, distanceHistogramChart } from "./distance_histogram.ts";
import { PLOTLY_MIME } from "./displayable.ts";

Deno.test("binDistances counts each kind per bin up to the largest distance", () => {
  const h = binDistances([0, 0.49, 0.5, 1.2, 4, 3.99], [1, 1, 0, 0, 0, true], { binWidth: 0.5 });
  assertEquals(h.same, [2, 0, 0, 0, 0, 0, 0, 1]);
  assertEquals(h.different, [0, 1, 1, 0, 0, 0, 0, 1]);
});

Deno.test("the histogram chart draws fractions per kind and the chosen threshold", () => {
  const fig = distanceHistogramChart({
    set: "lfw",
    binWidth: 1,
    same: [3, 1, 0, 0],
    different: [0, 1, 2, 1],
    meanThreshold: 1.42,
    bestThresholds: [1.4, 1.45, 1.41],
  }).bundle[PLOTLY_MIME] as {
    data: { y: number[]; name: string }[];
    layout: { shapes: { x0: number; x1: number }[]; annotations: { text: string }[] };
  };
  assertEquals(fig.data.map((t) => t.y), [[0.75, 0.25, 0, 0], [0, 0.25, 0.5, 0.25]]);
  assertEquals(fig.data.map((t) => t.name), [
    "same identity (4 pairs)",
    "different identities (4 pairs)",
  ]);
  assertEquals(fig.layout.shapes.map((s) => [s.x0, s.x1]), [[1.4, 1.45], [1.42, 1.42]]);
  assertEquals(
    fig.layout.annotations[0].text,
    "threshold 1.420 (mean of 3 folds; band: 1.40-1.45)",
  );
});

Deno.test("binDistances picks a round width that covers the distances in about 50 bins", () => {
  // A model whose distances stay below 0.5 (face-api's do) still gets a readable histogram.
  const h = binDistances([0.01, 0.2, 0.47], [1, 0, 0]);
  assertEquals(h.binWidth, 0.01);
  assertEquals(h.same.length, 47);
  assertEquals([h.same[1], h.different[20], h.different[46]], [1, 1, 1]);
  assertEquals(binDistances([0, 3.9], [1, 0]).binWidth, 0.1);
});
