import { assert, assertEquals } from "../../tests/support/assert.ts";
import { ConfigError } from "./config_error.ts";
import type { KeySpec } from "./key_spec.ts";
import {
  AUGMENT_KEYS,
  AUGMENT_OFF,
  AUGMENT_SCHEMA,
  CONFIG_KEYS,
  CONFIG_SCHEMA,
  DEFAULT_AUGMENT,
  DEFAULT_CONFIG,
  NOTEBOOK_TABLE_KEYS,
  REQUIRED_KEYS,
  RESUME_NEUTRAL_KEYS,
} from "./train_config.ts";

const SPECS = Object.entries(CONFIG_SCHEMA) as [string, KeySpec][];

Deno.test("every declared key has a one-line doc and an origin", () => {
  for (const [key, spec] of SPECS) {
    assert(spec.doc.trim().length > 0 && !spec.doc.includes("\n"), `${key}: no one-line doc`);
    assert(spec.origin === "tf2" || spec.origin === "ours", `${key}: origin ${spec.origin}`);
  }
  for (const [key, e] of Object.entries(AUGMENT_SCHEMA)) {
    assert(e.doc.trim().length > 0 && !e.doc.includes("\n"), `augment.${key}: no one-line doc`);
  }
  // arcface-tf2's keys come first, in its order (the saved config.yaml reads like its files).
  const firstOurs = SPECS.findIndex(([, s]) => s.origin === "ours");
  assert(SPECS.slice(firstOurs).every(([, s]) => s.origin === "ours"), "tf2 keys first");
});

Deno.test("RESUME_NEUTRAL_KEYS are exactly the keys declared resumeNeutral", () => {
  assertEquals(
    [...RESUME_NEUTRAL_KEYS],
    SPECS.filter(([, s]) => s.resumeNeutral === true).map(([k]) => k),
  );
  // Run management only: nothing that shapes the model, the data or the optimiser.
  for (const k of ["base_lr", "batch_size", "seed", "augment", "train_workers", "num_classes"]) {
    assert(!(RESUME_NEUTRAL_KEYS as readonly string[]).includes(k), k);
  }
});

Deno.test("key order, required keys and defaults all come from the declaration", () => {
  assertEquals([...CONFIG_KEYS], SPECS.map(([k]) => k));
  assertEquals([...AUGMENT_KEYS], Object.keys(AUGMENT_SCHEMA));
  assertEquals([...REQUIRED_KEYS], ["sub_name", "train_dataset", "num_classes", "num_samples"]);
  assertEquals(
    Object.keys(DEFAULT_CONFIG),
    CONFIG_KEYS.filter((k) => !(REQUIRED_KEYS as readonly string[]).includes(k)),
  );
  assertEquals(DEFAULT_CONFIG.augment, DEFAULT_AUGMENT);
  assertEquals(AUGMENT_OFF.flip, false);
  assertEquals(AUGMENT_OFF.brightness_scale, "0-255");
  assert(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.lr_steps));
  assert(Object.isFrozen(DEFAULT_AUGMENT.saturation) && Object.isFrozen(AUGMENT_OFF));
});

Deno.test("every default and every augment 'off' value passes its own rule", () => {
  const where = { source: "config_schema.ts" };
  for (const [key, spec] of SPECS) {
    if (spec.kind !== "optional") continue;
    try {
      assertEquals(spec.rule(spec.default, key, where), spec.default, key);
    } catch (e) {
      throw new Error(`default of '${key}' fails its rule: ${(e as ConfigError).message}`);
    }
  }
  for (const [key, e] of Object.entries(AUGMENT_SCHEMA)) {
    assertEquals(e.rule(e.default, key, where), e.default, key);
    assertEquals(e.rule(e.off, key, where), e.off, key);
  }
});

Deno.test("the notebooks' config table shows the same hyper-parameters as before", () => {
  assertEquals(
    [...NOTEBOOK_TABLE_KEYS].sort(),
    [
      "sub_name",
      "backbone_type",
      "width",
      "head_type",
      "embd_shape",
      "input_size",
      "batch_size",
      "micro_batch_size",
      "train_workers",
      "num_classes",
      "num_samples",
      "base_lr",
      "lr_schedule",
      "momentum",
      "w_decay",
      "weight_decay_scope",
      "margin",
      "logit_scale",
      "max_steps",
      "max_minutes",
      "eval_sets",
    ].sort(),
  );
});
