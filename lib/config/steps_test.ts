import { assertEquals } from "../../tests/support/assert.ts";
import { parseConfig } from "./parse_config.ts";
import { microBatchSize, stepsPerEpoch, totalSteps } from "./steps.ts";

const MS1M = parseConfig({
  sub_name: "arc_res50",
  train_dataset: "./data/ms1m_bin.tfrecord",
  num_classes: 85742,
  num_samples: 5822653,
});

Deno.test("steps of arcface-tf2's MS1M run: 45489 per epoch, 227445 in 5 epochs", () => {
  assertEquals(stepsPerEpoch(MS1M), 45489);
  assertEquals(totalSteps(MS1M), 227445);
});

Deno.test("max_steps caps the total; tiny data sets still get one step per epoch", () => {
  assertEquals(totalSteps({ ...MS1M, max_steps: 1000 }), 1000);
  assertEquals(totalSteps({ ...MS1M, max_steps: 10_000_000 }), 227445);
  assertEquals(stepsPerEpoch({ num_samples: 100, batch_size: 128 }), 1);
  assertEquals(totalSteps({ num_samples: 100, batch_size: 128, epochs: 3, max_steps: null }), 3);
  assertEquals(stepsPerEpoch({ num_samples: 9525, batch_size: 64 }), 148);
});

Deno.test("microBatchSize defaults to batch_size", () => {
  assertEquals(microBatchSize(MS1M), 128);
  assertEquals(microBatchSize({ ...MS1M, micro_batch_size: 32 }), 32);
});
