import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { LiveProgress } from "./live_progress.ts";
import { convertProgress, trainProgress } from "./progress.ts";
import type { TrainEvent } from "../../train/train_events.ts";

function step(step: number, loss: number): TrainEvent {
  return {
    type: "step",
    step,
    totalSteps: 30,
    epoch: 1,
    loss,
    crossEntropy: loss,
    accuracy: 0,
    cosineAccuracy: 0,
    targetAngle: 90,
    lr: 0.1,
    gradNorm: 1,
    imagesPerSec: 40,
    elapsedSec: step * 2,
    etaSec: 10,
  };
}

Deno.test("trainProgress: 30 steps and 3 evaluations end as three lines (run, totals, last eval)", async () => {
  const live = new LiveProgress(undefined);
  const on = trainProgress(live);
  on({
    type: "start",
    runDir: "r",
    startStep: 0,
    totalSteps: 30,
    stepsPerEpoch: 30,
    resumedFrom: null,
    replicas: 1,
    backend: "cpu",
  });
  for (let s = 1; s <= 30; s++) {
    on(step(s, 50 - s));
    if (s % 10 === 0) {
      on({ type: "eval_start", step: s });
      on({
        type: "eval",
        step: s,
        seconds: 1,
        sets: [{
          set: "lfw",
          accuracy: 0.5 + s / 100,
          std: 0,
          auc: 0.6,
          threshold: 1,
          collapsed: false,
        }],
      });
    }
  }
  on({ type: "done", step: 30, reason: "completed", exportPath: "x" });
  await live.finish();
  assertEquals(live.lines.length, 3, live.lines.join("\n"));
  assertEquals(live.lines[0], "training: 30 steps from step 0, 1 replica(s) on cpu");
  assert(
    live.lines[1].startsWith("done at step 30 (completed): steps 1-30 in 1m00s"),
    live.lines[1],
  );
  assert(live.lines[1].endsWith("loss 49.000 -> 20.000"), live.lines[1]);
  assertEquals(live.lines[2], "evaluation at step 30: lfw 80.00% (AUC 0.600)");
});

Deno.test("convertProgress: in flight, then the totals", async () => {
  // The speeds below are given inputs, rendered into text: nothing here is measured or timed.
  const live = new LiveProgress(undefined);
  const on = convertProgress(live);
  on({
    done: 10,
    total: 2000,
    bytes: 1e5,
    skipped: 0,
    elapsedSec: 1,
    imagesPerSec: 10,
    etaSec: 199,
  });
  assertEquals(live.lines, ["converting: 10/2000 images (10.0 img/s, ETA 3m19s)"]);
  on({
    done: 2000,
    total: 2000,
    bytes: 2.5e7,
    skipped: 2,
    elapsedSec: 75,
    imagesPerSec: 26.7,
    etaSec: 0,
  });
  await live.finish();
  assertEquals(live.lines, ["converted 2,000 images in 1m15s at 26.7 img/s (25.0 MB, 2 skipped)"]);
});
