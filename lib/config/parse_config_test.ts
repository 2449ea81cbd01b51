import { assert, assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { ConfigError } from "./config_error.ts";
import { parseConfig } from "./parse_config.ts";
import { AUGMENT_OFF, CONFIG_KEYS, DEFAULT_AUGMENT, DEFAULT_CONFIG } from "./train_config.ts";

const REQUIRED = {
  sub_name: "run1",
  train_dataset: "data/x.tfrecord",
  num_classes: 10,
  num_samples: 1000,
};
const SRC = { source: "configs/x.yaml" };

function bad(raw: Record<string, unknown>): ConfigError {
  return assertThrows(() => parseConfig({ ...REQUIRED, ...raw }, SRC), ConfigError);
}

Deno.test("parseConfig fills every default and keeps the required keys", () => {
  const c = parseConfig(REQUIRED);
  assertEquals(Object.keys(c), [...CONFIG_KEYS]);
  assertEquals(c, { ...DEFAULT_CONFIG, ...REQUIRED, augment: { ...DEFAULT_AUGMENT } } as never);
  assertEquals(c.batch_size, 128);
  assertEquals(c.w_decay, 5e-4);
  assertEquals(c.augment.saturation, [0.6, 1.4]);
  assertEquals(c.backend, "auto");
  assertEquals(c.micro_batch_size, null);
});

Deno.test("parseConfig returns fresh objects (defaults are not shared)", () => {
  const a = parseConfig(REQUIRED);
  a.eval_sets.push("lfw-view1");
  (a.augment.saturation as number[])[0] = 0;
  a.lr_steps.push(5);
  const b = parseConfig(REQUIRED);
  assertEquals(b.eval_sets, []);
  assertEquals(b.augment.saturation, [0.6, 1.4]);
  assertEquals(b.lr_steps, []);
  assertEquals(DEFAULT_AUGMENT.saturation, [0.6, 1.4]);
});

Deno.test("unknown top-level key names the key and file and suggests the closest", () => {
  const e = bad({ batchsize: 64 });
  assertEquals(e.message, "unknown key 'batchsize' in configs/x.yaml (did you mean 'batch_size'?)");
  assertEquals(e.key, "batchsize");
  assertEquals(e.source, "configs/x.yaml");
  assert(bad({ batchSize: 64 }).message.includes("did you mean 'batch_size'?"));
  const far = bad({ completely_unrelated: 1 });
  assertEquals(far.key, "completely_unrelated");
  assert(!far.message.includes("did you mean"), far.message);
  assert(far.message.includes("remove it"), far.message);
});

Deno.test("unknown nested augment key names the dotted key and suggests", () => {
  const e = bad({ augment: { flpi: false } });
  assertEquals(e.key, "augment.flpi");
  assertEquals(
    e.message,
    "unknown key 'augment.flpi' in configs/x.yaml (did you mean 'augment.flip'?)",
  );
});

Deno.test("'extends' is refused by parseConfig with a hint", () => {
  const e = bad({ extends: "base.yaml" });
  assertEquals(e.key, "extends");
  assert(e.message.includes("loadConfig"), e.message);
});

Deno.test("wrong type names key, file, expectation and the value", () => {
  const e = bad({ epochs: "five" });
  assertEquals(
    e.message,
    `'epochs' in configs/x.yaml must be an integer >= 1, got "five" (string)`,
  );
  assertEquals(e.key, "epochs");
  assertEquals(bad({ epochs: 2.5 }).key, "epochs");
  assertEquals(bad({ nesterov: "yes" }).key, "nesterov");
  assertEquals(bad({ eval_sets: "lfw-view1" }).key, "eval_sets");
  assertEquals(bad({ eval_sets: ["ok", 3] }).key, "eval_sets[1]");
  assertEquals(bad({ test_dataset: 5 }).key, "test_dataset");
  assert(bad({ max_steps: 0 }).message.includes("must be null or an integer >= 1"));
});

Deno.test("out-of-range values are errors", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ batch_size: 0 }, "batch_size"],
    [{ input_size: 16 }, "input_size"],
    [{ num_classes: 1 }, "num_classes"],
    [{ base_lr: 0 }, "base_lr"],
    [{ w_decay: -1 }, "w_decay"],
    [{ margin: Math.PI / 2 }, "margin"],
    [{ margin: -0.1 }, "margin"],
    [{ logit_scale: 0 }, "logit_scale"],
    [{ lr_gamma: 0 }, "lr_gamma"],
    [{ lr_gamma: 1.5 }, "lr_gamma"],
    [{ momentum: 1 }, "momentum"],
    [{ dropout: 1 }, "dropout"],
    [{ width: 0 }, "width"],
    [{ seed: -1 }, "seed"],
    [{ grad_clip_norm: 0 }, "grad_clip_norm"],
    [{ max_minutes: 0 }, "max_minutes"],
    [{ base_lr: Infinity }, "base_lr"],
    [{ sub_name: "a/b" }, "sub_name"],
    [{ sub_name: ".." }, "sub_name"],
    [{ sub_name: "" }, "sub_name"],
    [{ backend: "cuda" }, "backend"],
    [{ lr_steps: [100, 100] }, "lr_steps"],
    [{ lr_steps: [0, 10] }, "lr_steps[0]"],
    [{ augment: { saturation: [1.4, 0.6] } }, "augment.saturation"],
    [{ augment: { saturation: [-1, 1] } }, "augment.saturation"],
    [{ augment: { brightness: -0.1 } }, "augment.brightness"],
    [{ augment: { brightness: true } }, "augment.brightness"],
    [{ augment: { brightness_scale: "0-100" } }, "augment.brightness_scale"],
    [{ augment: "on" }, "augment"],
  ];
  for (const [raw, key] of cases) {
    const e = bad(raw);
    assertEquals(e.key, key, JSON.stringify(raw));
    assert(e.message.includes("configs/x.yaml"), e.message);
  }
  assert(parseConfig({ ...REQUIRED, margin: 0, w_decay: 0, momentum: 0, dropout: 0 }));
});

Deno.test("enum errors list the valid names and suggest one", () => {
  const e = bad({ backbone_type: "mobilenetv2" });
  assert(e.message.includes(`"ResNet50", "MobileNetV2", "MobileFaceNet"`), e.message);
  assert(e.message.includes(`did you mean "MobileNetV2"?`), e.message);
  assertEquals(bad({ head_type: "Arc" }).key, "head_type");
  assertEquals(parseConfig({ ...REQUIRED, backend: "tfjs-node-gpu" }).backend, "tfjs-node-gpu");
});

Deno.test("missing required keys are all listed in one message", () => {
  const e = assertThrows(() => parseConfig({ num_classes: 5 }, SRC), ConfigError);
  assertEquals(
    e.message,
    "missing required keys 'sub_name', 'train_dataset', 'num_samples' in configs/x.yaml; " +
      "add them to the config (or to a file it extends)",
  );
  const one = assertThrows(
    () => parseConfig({ ...REQUIRED, num_samples: null }, SRC),
    ConfigError,
  );
  assert(one.message.startsWith("missing required key 'num_samples'"), one.message);
  assertThrows(() => parseConfig([1, 2]), ConfigError);
  assertThrows(() => parseConfig(null), ConfigError);
});

Deno.test("cross-key checks: micro batch, resize, step schedule", () => {
  const m = bad({ batch_size: 64, micro_batch_size: 128 });
  assertEquals(m.key, "micro_batch_size");
  assert(m.message.includes("must be <= batch_size (64)"), m.message);
  assertEquals(parseConfig({ ...REQUIRED, micro_batch_size: 32 }).micro_batch_size, 32);
  const r = bad({ augment: { resize: 100 } });
  assertEquals(r.key, "augment.resize");
  assert(r.message.includes("input_size (112)"), r.message);
  assertEquals(parseConfig({ ...REQUIRED, augment: { resize: 112 } }).augment.resize, 112);
  assertEquals(bad({ lr_schedule: "step" }).key, "lr_steps");
  assertEquals(
    parseConfig({ ...REQUIRED, lr_schedule: "step", lr_steps: [10, 20] }).lr_steps,
    [10, 20],
  );
});

Deno.test("augment: partial merges over defaults, false = all off, true = defaults", () => {
  const p = parseConfig({ ...REQUIRED, augment: { flip: false, brightness: 0.2 } });
  assertEquals(p.augment, { ...DEFAULT_AUGMENT, flip: false, brightness: 0.2 } as never);
  assertEquals(parseConfig({ ...REQUIRED, augment: false }).augment, { ...AUGMENT_OFF } as never);
  assertEquals(parseConfig({ ...REQUIRED, augment: true }).augment, {
    ...DEFAULT_AUGMENT,
  } as never);
  const off = parseConfig({ ...REQUIRED, augment: { saturation: false, resize: false } });
  assertEquals(off.augment.saturation, false);
  assertEquals(off.augment.resize, false);
});

Deno.test("per-key sources name the file that set the faulty value", () => {
  const e = assertThrows(
    () =>
      parseConfig({ ...REQUIRED, epochs: 0, augment: { flip: 1 } }, {
        source: "child.yaml",
        sources: { epochs: "base.yaml" },
      }),
    ConfigError,
  );
  assertEquals(e.source, "base.yaml");
  assert(e.message.includes("'epochs' in base.yaml"), e.message);
});
