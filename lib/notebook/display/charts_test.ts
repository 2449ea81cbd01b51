import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { trainingCurves } from "./charts.ts";
import { PLOTLY_MIME } from "./displayable.ts";

type Figure = { data: { name: string; y: number[] }[] };
const traces = (d: { bundle: Record<string, unknown> }) => (d.bundle[PLOTLY_MIME] as Figure).data;

const steps = (margin: number[]) =>
  margin.map((a, i) => ({
    type: "step",
    step: i + 1,
    accuracy: a,
    cosineAccuracy: 0.1 * (i + 1),
    targetAngle: 90 - i,
  }));

Deno.test("the accuracy chart plots the plain cosines; the margin line only when it rises", () => {
  const flat = trainingCurves([{ name: "s1", records: steps([0, 0, 0.03]) }], "accuracy");
  assertEquals(traces(flat).map((t) => t.name), ["s1 (train batch, cosine)"]);
  assertEquals(traces(flat)[0].y.map((y) => +y.toFixed(2)), [0.1, 0.2, 0.3]);
  const rising = trainingCurves([{ name: "s1", records: steps([0, 0.02, 0.2]) }], "accuracy");
  assertEquals(traces(rising).map((t) => t.name), [
    "s1 (train batch, cosine)",
    "s1 (train batch, with margin)",
  ]);
});

Deno.test("a log without the plain-cosine metric (older runs) still shows the margin accuracy", () => {
  const old = [{ type: "step", step: 1, accuracy: 0 }, { type: "step", step: 2, accuracy: 0 }];
  const names = traces(trainingCurves([{ name: "r", records: old }], "accuracy")).map((t) =>
    t.name
  );
  assertEquals(names, ["r (train batch, with margin)"]);
});

Deno.test("the angle chart plots targetAngle, with eval markers only on the accuracy chart", () => {
  const records = [...steps([0, 0]), {
    type: "eval",
    step: 2,
    sets: [{ set: "lfw-view1", accuracy: 0.6 }],
  }];
  const angle = traces(trainingCurves([{ name: "r", records }], "angle"));
  assertEquals(angle.map((t) => t.y), [[90, 89]]);
  const acc = traces(trainingCurves([{ name: "r", records }], "accuracy"));
  assert(acc.some((t) => t.name === "r: lfw-view1"), JSON.stringify(acc.map((t) => t.name)));
});
