import { assertEquals } from "../../tests/support/assert.ts";
import { diffConfigs } from "./diff_configs.ts";
import { parseConfig } from "./parse_config.ts";
import { RESUME_NEUTRAL_KEYS } from "./train_config.ts";

const REQUIRED = {
  sub_name: "run1",
  train_dataset: "data/x.tfrecord",
  num_classes: 10,
  num_samples: 1000,
};

Deno.test("diffConfigs: equal configs have no difference", () => {
  assertEquals(diffConfigs(parseConfig(REQUIRED), parseConfig(REQUIRED)), []);
});

Deno.test("diffConfigs lists flat dotted keys, comparing lists deeply", () => {
  const a = parseConfig({ ...REQUIRED, lr_schedule: "step", lr_steps: [10, 20] });
  const b = parseConfig({
    ...REQUIRED,
    epochs: 9,
    lr_schedule: "step",
    lr_steps: [10, 30],
    augment: { flip: false, saturation: [0.5, 1.4] },
  });
  assertEquals(diffConfigs(a, b), [
    { key: "epochs", a: 5, b: 9 },
    { key: "lr_steps", a: [10, 20], b: [10, 30] },
    { key: "augment.flip", a: true, b: false },
    { key: "augment.saturation", a: [0.6, 1.4], b: [0.5, 1.4] },
  ]);
  assertEquals(
    diffConfigs(a, b, { ignore: ["epochs", "augment.flip"] }).map((d) => d.key),
    ["lr_steps", "augment.saturation"],
  );
  assertEquals(diffConfigs(a, b, { ignore: ["augment"] }).map((d) => d.key), [
    "epochs",
    "lr_steps",
  ]);
  const off = parseConfig({ ...REQUIRED, augment: false });
  assertEquals(
    diffConfigs(parseConfig(REQUIRED), off).map((d) => d.key),
    ["resize", "random_crop", "flip", "saturation", "brightness", "clip"].map((k) =>
      `augment.${k}`
    ),
  );
});

Deno.test("RESUME_NEUTRAL_KEYS hides run-management changes only", () => {
  const a = parseConfig(REQUIRED);
  const b = parseConfig({
    ...REQUIRED,
    backend: "wasm",
    eval_sets: ["lfw-view1"],
    eval_interval: 100,
    max_minutes: 10,
    epochs: 8,
    results_dir: "elsewhere",
  });
  assertEquals(diffConfigs(a, b, { ignore: RESUME_NEUTRAL_KEYS }), []);
  const c = parseConfig({ ...REQUIRED, base_lr: 0.1, backend: "wasm" });
  assertEquals(diffConfigs(a, c, { ignore: RESUME_NEUTRAL_KEYS }), [
    { key: "base_lr", a: 0.01, b: 0.1 },
  ]);
  assertEquals(RESUME_NEUTRAL_KEYS.length, 16);
});
