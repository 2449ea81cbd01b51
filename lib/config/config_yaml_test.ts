import { join } from "node:path";
import { parse } from "yaml";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { configToYaml, RESOLVED_CONFIG_HEADER, saveResolvedConfig } from "./config_yaml.ts";
import { parseConfig } from "./parse_config.ts";
import { CONFIG_KEYS, type TrainConfig } from "./train_config.ts";

const REQUIRED = {
  sub_name: "run1",
  train_dataset: "data/x.tfrecord",
  num_classes: 10,
  num_samples: 1000,
};

/** A config with every key away from its default, including strings that look like numbers. */
function unusual(): TrainConfig {
  return parseConfig({
    ...REQUIRED,
    sub_name: "123",
    train_dataset: "true",
    batch_size: 64,
    micro_batch_size: 16,
    w_decay: 5e-4,
    base_lr: 0.1,
    backend: "tfjs-node",
    lr_schedule: "step",
    lr_steps: [100, 2000, 30000],
    lr_gamma: 0.5,
    grad_clip_norm: 5,
    margin: 0.35,
    eval_sets: ["lfw-view1", "folder:pairs.txt", "a b: c", "#x"],
    max_minutes: 1.5,
    image_root: "null",
    test_dataset: "~",
    prepare_from: "lfw-people:/d/x.txt",
    augment: { saturation: [0.5, 1.5], brightness: false, resize: false, brightness_scale: "0-1" },
  });
}

Deno.test("configToYaml: header line, every key in declared order", () => {
  const c = parseConfig(REQUIRED);
  const text = configToYaml(c);
  assert(text.startsWith(RESOLVED_CONFIG_HEADER + "\n"), text.slice(0, 80));
  assertEquals(RESOLVED_CONFIG_HEADER, "# resolved config (every key; defaults filled in)");
  const topKeys = text.split("\n").filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.split(":")[0]);
  assertEquals(topKeys, [...CONFIG_KEYS]);
  assertEquals(Object.keys(parse(text).augment), Object.keys(c.augment));
  assert(text.includes("saturation: [ 0.6, 1.4 ]"), text);
});

Deno.test("configToYaml round-trips through parse + parseConfig", () => {
  for (
    const c of [parseConfig(REQUIRED), unusual(), parseConfig({ ...REQUIRED, augment: false })]
  ) {
    const back = parseConfig(parse(configToYaml(c)));
    assertEquals(back, c);
  }
  assertEquals(parse(configToYaml(unusual())).sub_name, "123");
});

Deno.test("saveResolvedConfig writes config.yaml atomically, creating the folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "config_save_" });
  try {
    const dir = join(root, "results", "run1");
    const c = unusual();
    const path = await saveResolvedConfig(c, dir);
    assertEquals(path, join(dir, "config.yaml"));
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["config.yaml"]);
    assertEquals(parseConfig(parse(await Deno.readTextFile(path))), c);
    // Overwriting leaves no temporary file either.
    await saveResolvedConfig(parseConfig(REQUIRED), dir);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["config.yaml"]);
    assertEquals(parse(await Deno.readTextFile(path)).sub_name, "run1");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
