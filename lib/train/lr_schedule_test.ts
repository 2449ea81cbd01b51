import { assertAlmostEquals, assertEquals } from "../../tests/support/assert.ts";
import { learningRateAt } from "./lr_schedule.ts";

Deno.test("constant LR is arcface-tf2's base_lr at every step", () => {
  for (const s of [0, 1, 1000, 227444]) {
    assertEquals(learningRateAt(s, { kind: "constant", baseLr: 0.01, totalSteps: 227445 }), 0.01);
  }
});

Deno.test("step LR multiplies by gamma at each boundary (inclusive)", () => {
  const sch = { kind: "step", baseLr: 0.1, totalSteps: 100, steps: [10, 20], gamma: 0.1 } as const;
  assertAlmostEquals(learningRateAt(9, sch), 0.1, 1e-12);
  assertAlmostEquals(learningRateAt(10, sch), 0.01, 1e-12);
  assertAlmostEquals(learningRateAt(19, sch), 0.01, 1e-12);
  assertAlmostEquals(learningRateAt(20, sch), 0.001, 1e-12);
  assertAlmostEquals(learningRateAt(99, sch), 0.001, 1e-12);
});

Deno.test("linear LR goes from base_lr to lr_end at the last step", () => {
  const sch = { kind: "linear", baseLr: 0.1, totalSteps: 11, end: 0 } as const;
  assertAlmostEquals(learningRateAt(0, sch), 0.1, 1e-12);
  assertAlmostEquals(learningRateAt(5, sch), 0.05, 1e-12);
  assertAlmostEquals(learningRateAt(10, sch), 0, 1e-12);
  assertAlmostEquals(learningRateAt(50, sch), 0, 1e-12);
});

Deno.test("warm-up ramps linearly, then the schedule starts from base_lr", () => {
  const sch = { kind: "linear", baseLr: 0.1, totalSteps: 14, end: 0.01, warmup: 4 } as const;
  assertAlmostEquals(learningRateAt(0, sch), 0.025, 1e-12);
  assertAlmostEquals(learningRateAt(3, sch), 0.1, 1e-12);
  assertAlmostEquals(learningRateAt(4, sch), 0.1, 1e-12);
  assertAlmostEquals(learningRateAt(13, sch), 0.01, 1e-12);
});
