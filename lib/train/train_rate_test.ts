import { assertAlmostEquals, assertEquals } from "../../tests/support/assert.ts";
import { etaSeconds, TrainRate } from "./train_rate.ts";

Deno.test("an evaluation pause does not change the reported img/s", async () => {
  let now = 0;
  const rate = new TrainRate(() => now);
  // 10 steps of 64 images at 0.5 s each: 128 img/s.
  const steps = (n: number) => {
    for (let i = 0; i < n; i++) {
      now += 500;
      rate.add(64);
    }
  };
  steps(10);
  assertAlmostEquals(rate.take(), 128, 1e-9);
  steps(5);
  await rate.pause(() => {
    now += 180_000; // a 3-minute evaluation inside the interval
    return Promise.resolve();
  });
  steps(5);
  assertAlmostEquals(rate.take(), 128, 1e-9);
  // A pause that throws is left out too.
  await rate.pause(() => {
    now += 60_000;
    return Promise.reject(new Error("disk full"));
  }).catch(() => {});
  steps(2);
  assertAlmostEquals(rate.take(), 128, 1e-9);
  assertEquals(Number.isNaN(rate.take()), true, "no time, no rate");
});

Deno.test("the ETA adds the evaluations still to come", () => {
  assertEquals(etaSeconds(1280, 128), 10);
  assertEquals(etaSeconds(1280, 128, { evalsLeft: 3, evalSec: 20 }), 70);
  assertEquals(etaSeconds(1280, 128, { evalsLeft: 3 }), 10, "unknown eval time: not added");
});
