import { dirname, join } from "node:path";
import { repoRoot } from "../io/repo_root.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/support/assert.ts";
import { ConfigError } from "./config_error.ts";
import { diffConfigs } from "./diff_configs.ts";
import { loadConfig, parseOverride } from "./load_config.ts";
import { AUGMENT_OFF, DEFAULT_AUGMENT, DEFAULT_CONFIG } from "./train_config.ts";

const CONFIGS = join(repoRoot(), "configs");

/** Runs `fn` in a fresh temp folder holding `files` (name -> text), then removes the folder. */
async function withFiles(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "config_test_" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.mkdir(dirname(join(dir, name)), { recursive: true });
      await Deno.writeTextFile(join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `fn` with the environment variable set (or unset), then restores it. */
async function withEnv(name: string, value: string | undefined, fn: () => Promise<void>) {
  const old = Deno.env.get(name);
  if (value === undefined) Deno.env.delete(name);
  else Deno.env.set(name, value);
  try {
    await fn();
  } finally {
    if (old === undefined) Deno.env.delete(name);
    else Deno.env.set(name, old);
  }
}

const BASE = [
  "sub_name: base",
  "train_dataset: data/base.tfrecord",
  "num_classes: 100",
  "num_samples: 1000",
  "eval_sets: [a, b]",
  "augment: {flip: false, brightness: 0.1}",
  "",
].join("\n");

Deno.test("arc_res50.yaml gives exactly arcface-tf2's values", async () => {
  const c = await loadConfig(join(CONFIGS, "arc_res50.yaml"));
  assertEquals(c, {
    ...DEFAULT_CONFIG,
    augment: { ...DEFAULT_AUGMENT },
    batch_size: 128,
    input_size: 112,
    embd_shape: 512,
    sub_name: "arc_res50",
    backbone_type: "ResNet50",
    head_type: "ArcHead",
    is_ccrop: false,
    train_dataset: "./data/ms1m_bin.tfrecord",
    binary_img: true,
    num_classes: 85742,
    num_samples: 5822653,
    epochs: 5,
    base_lr: 0.01,
    w_decay: 5e-4,
    save_steps: 1000,
    test_dataset: "/your/path/to/test_dataset",
    eval_sets: [],
  } as never);
  // arcface-tf2's training recipe is the default of our keys.
  assertEquals([c.lr_schedule, c.momentum, c.nesterov, c.margin, c.logit_scale], [
    "constant",
    0.9,
    true,
    0.5,
    64,
  ]);
  assertEquals(c.weight_decay_scope, "embedding");
});

Deno.test("arc_mbv2.yaml differs from arc_res50.yaml only in sub_name and backbone_type", async () => {
  const res = await loadConfig(join(CONFIGS, "arc_res50.yaml"));
  const mbv2 = await loadConfig(join(CONFIGS, "arc_mbv2.yaml"));
  assertEquals(diffConfigs(res, mbv2), [
    { key: "sub_name", a: "arc_res50", b: "arc_mbv2" },
    { key: "backbone_type", a: "ResNet50", b: "MobileNetV2" },
  ]);
  const text = await Deno.readTextFile(join(CONFIGS, "arc_mbv2.yaml"));
  assert(/^extends: arc_res50\.yaml$/m.test(text));
});

Deno.test("arc_res50_kface.yaml: merged data set, 400 more classes", async () => {
  const res = await loadConfig(join(CONFIGS, "arc_res50.yaml"));
  const kf = await loadConfig(join(CONFIGS, "arc_res50_kface.yaml"));
  assertEquals(diffConfigs(res, kf).map((d) => d.key), [
    "sub_name",
    "train_dataset",
    "num_classes",
  ]);
  assertEquals(kf.num_classes, 85742 + 400);
  assertEquals(kf.train_dataset, "./data/ms1m_kface_bin.tfrecord");
});

Deno.test("extends chains: child overrides, augment merges key by key, lists replace", async () => {
  await withFiles({
    "base.yaml": BASE,
    "mid/mid.yaml": "extends: ../base.yaml\nepochs: 7\naugment: {flip: true, resize: 120}\n",
    "mid/leaf/leaf.yaml": "extends: ../mid.yaml\nsub_name: leaf\neval_sets: [c]\n" +
      "augment:\n  clip: false\n",
  }, async (dir) => {
    const c = await loadConfig(join(dir, "mid/leaf/leaf.yaml"));
    assertEquals(c.sub_name, "leaf");
    assertEquals(c.epochs, 7);
    assertEquals(c.num_classes, 100);
    assertEquals(c.eval_sets, ["c"]);
    assertEquals(c.augment, {
      ...DEFAULT_AUGMENT,
      flip: true,
      brightness: 0.1,
      resize: 120,
      clip: false,
    } as never);
  });
});

Deno.test("augment: false in a base, a partial augment in the child turns steps back on", async () => {
  await withFiles({
    "base.yaml": BASE.replace("augment: {flip: false, brightness: 0.1}", "augment: false"),
    "child.yaml": "extends: base.yaml\naugment: {flip: true}\n",
    "off.yaml": "extends: child.yaml\naugment: false\n",
  }, async (dir) => {
    assertEquals((await loadConfig(join(dir, "base.yaml"))).augment, { ...AUGMENT_OFF } as never);
    const c = await loadConfig(join(dir, "child.yaml"));
    assertEquals(c.augment, { ...AUGMENT_OFF, flip: true } as never);
    assertEquals((await loadConfig(join(dir, "off.yaml"))).augment, { ...AUGMENT_OFF } as never);
  });
});

Deno.test("an extends cycle is an error naming the files", async () => {
  await withFiles({
    "a.yaml": "extends: b.yaml\nsub_name: a\n",
    "b.yaml": "extends: a.yaml\nepochs: 2\n",
    "self.yaml": "extends: ./self.yaml\n",
  }, async (dir) => {
    const e = await assertRejects(() => loadConfig(join(dir, "a.yaml")), ConfigError);
    assertEquals(e.key, "extends");
    assert(/a\.yaml -> .*b\.yaml -> .*a\.yaml/.test(e.message), e.message);
    const s = await assertRejects(() => loadConfig(join(dir, "self.yaml")), ConfigError);
    assert(s.message.includes("cycle"), s.message);
  });
});

Deno.test("unreadable files and YAML syntax errors name the file (and line)", async () => {
  await withFiles({
    "broken.yaml": "sub_name: x\nepochs: [1, 2\nbase_lr: 0.1\n",
    "child.yaml": "extends: nowhere.yaml\n",
    "list.yaml": "- a\n- b\n",
    "bad_ext.yaml": "extends: 3\n",
    "dup.yaml": "epochs: 1\nepochs: 2\n",
  }, async (dir) => {
    const missing = await assertRejects(() => loadConfig(join(dir, "none.yaml")), ConfigError);
    assert(missing.message.includes("none.yaml") && missing.message.includes("no such file"));
    const viaExt = await assertRejects(() => loadConfig(join(dir, "child.yaml")), ConfigError);
    assert(viaExt.message.includes("nowhere.yaml"), viaExt.message);
    assert(viaExt.message.includes("extends: nowhere.yaml' in"), viaExt.message);
    const syntax = await assertRejects(() => loadConfig(join(dir, "broken.yaml")), ConfigError);
    assert(syntax.message.startsWith("YAML syntax error in "), syntax.message);
    assert(syntax.message.includes("broken.yaml at line "), syntax.message);
    const dup = await assertRejects(() => loadConfig(join(dir, "dup.yaml")), ConfigError);
    assert(dup.message.includes("at line 2"), dup.message);
    const list = await assertRejects(() => loadConfig(join(dir, "list.yaml")), ConfigError);
    assert(list.message.includes("mapping"), list.message);
    const ext = await assertRejects(() => loadConfig(join(dir, "bad_ext.yaml")), ConfigError);
    assertEquals(ext.key, "extends");
  });
});

Deno.test("!!float 5e-4 and Python-style True/False parse", async () => {
  await withFiles({
    "c.yaml": BASE + "w_decay: !!float 5e-4\nis_ccrop: False\nbinary_img: True\n",
  }, async (dir) => {
    const c = await loadConfig(join(dir, "c.yaml"));
    assertEquals(c.w_decay, 0.0005);
    assertEquals([c.is_ccrop, c.binary_img], [false, true]);
  });
});

Deno.test("errors name the file in the chain that set the bad value", async () => {
  await withFiles({
    "base.yaml": BASE + "epochs: five\n",
    "child.yaml": "extends: base.yaml\nsub_name: child\n",
    "typo.yaml": "extends: base.yaml\nepochs: 2\naugment: {flpi: true}\n",
  }, async (dir) => {
    const e = await assertRejects(() => loadConfig(join(dir, "child.yaml")), ConfigError);
    assertEquals(e.key, "epochs");
    assert(e.message.includes("base.yaml must be an integer >= 1"), e.message);
    assert(e.source?.endsWith("base.yaml"), e.source);
    const t = await assertRejects(() => loadConfig(join(dir, "typo.yaml")), ConfigError);
    assertEquals(t.key, "augment.flpi");
    assert(t.message.includes("typo.yaml (did you mean 'augment.flip'?)"), t.message);
  });
});

Deno.test("overrides apply last, dotted keys reach into augment", async () => {
  await withFiles({ "base.yaml": BASE }, async (dir) => {
    const c = await loadConfig(join(dir, "base.yaml"), {
      overrides: Object.fromEntries([
        parseOverride("epochs=3"),
        parseOverride("augment.flip=true"),
        parseOverride("augment.saturation=false"),
        parseOverride("eval_sets=[lfw-view1]"),
      ]),
    });
    assertEquals(c.epochs, 3);
    assertEquals(c.eval_sets, ["lfw-view1"]);
    assertEquals(c.augment, {
      ...DEFAULT_AUGMENT,
      flip: true,
      brightness: 0.1,
      saturation: false,
    } as never);
    const off = await loadConfig(join(dir, "base.yaml"), {
      overrides: { augment: false, "augment.clip": true },
    });
    assertEquals(off.augment, { ...AUGMENT_OFF, clip: true } as never);
    const bad = await assertRejects(
      () => loadConfig(join(dir, "base.yaml"), { overrides: { epochs: "five" } }),
      ConfigError,
    );
    assert(bad.message.includes("'epochs' in --set epochs must be"), bad.message);
    const typo = await assertRejects(
      () => loadConfig(join(dir, "base.yaml"), { overrides: { "augment.flpi": true } }),
      ConfigError,
    );
    assert(typo.message.includes("did you mean 'augment.flip'?"), typo.message);
    const notSection = await assertRejects(
      () => loadConfig(join(dir, "base.yaml"), { overrides: { "epochs.x": 1 } }),
      ConfigError,
    );
    assert(notSection.message.includes("'epochs' is not a section"), notSection.message);
  });
});

Deno.test("${DATA_ROOT} is replaced in every string value", async () => {
  await withFiles({
    "c.yaml": BASE.replace("eval_sets: [a, b]", "eval_sets: [lfw-view1, '${DATA_ROOT}/x.bin']") +
      'prepare_from: "lfw-people:${DATA_ROOT}/lfw_112x112/peopleDevTrain.txt"\n',
  }, async (dir) => {
    await withEnv("ARCFACE_DATA_ROOT", "/data/root", async () => {
      const c = await loadConfig(join(dir, "c.yaml"), {
        overrides: { image_root: "${DATA_ROOT}/images" },
      });
      assertEquals(c.prepare_from, "lfw-people:/data/root/lfw_112x112/peopleDevTrain.txt");
      assertEquals(c.eval_sets, ["lfw-view1", "/data/root/x.bin"]);
      assertEquals(c.image_root, "/data/root/images");
    });
  });
});

Deno.test("${DATA_ROOT} without a data root is an error saying how to set one", async () => {
  await withFiles({ "c.yaml": BASE + "image_root: ${DATA_ROOT}/img\n" }, async (dir) => {
    const e = await assertRejects(
      () => loadConfig(join(dir, "c.yaml"), { dataRoot: null }),
      ConfigError,
    );
    assertEquals(e.key, "image_root");
    assert(e.message.includes("c.yaml uses ${DATA_ROOT}"), e.message);
    assert(e.message.includes("ARCFACE_DATA_ROOT"), e.message);
    const ok = await loadConfig(join(dir, "c.yaml"), { dataRoot: "/explicit" });
    assertEquals(ok.image_root, "/explicit/img");
    // Without the placeholder, no data root is needed.
    const plain = await loadConfig(join(dir, "c.yaml"), {
      dataRoot: null,
      overrides: { image_root: "/abs" },
    });
    assertEquals(plain.image_root, "/abs");
  });
});

Deno.test("a CPU demo config extending arc_res50.yaml parses", async () => {
  const demo = `extends: arc_res50.yaml
sub_name: demo_mfn
backbone_type: MobileFaceNet
width: 0.5
train_dataset: data/lfw_devtrain.tfrecord
prepare_from: "lfw-people:\${DATA_ROOT}/lfw_112x112/peopleDevTrain.txt"
num_classes: 4038
num_samples: 9525
batch_size: 64
base_lr: 0.1
lr_schedule: linear
augment: {saturation: false, brightness: false, resize: false, random_crop: false}
eval_sets: [lfw-view1]
eval_interval: 200
`;
  const base = await Deno.readTextFile(join(CONFIGS, "arc_res50.yaml"));
  await withFiles({ "arc_res50.yaml": base, "demo.yaml": demo }, async (dir) => {
    await withEnv("ARCFACE_DATA_ROOT", "/srv/data", async () => {
      const c = await loadConfig(join(dir, "demo.yaml"));
      assertEquals(c.backbone_type, "MobileFaceNet");
      assertEquals(c.width, 0.5);
      assertEquals(c.prepare_from, "lfw-people:/srv/data/lfw_112x112/peopleDevTrain.txt");
      assertEquals(c.augment, {
        ...DEFAULT_AUGMENT,
        saturation: false,
        brightness: false,
        resize: false,
        random_crop: false,
      } as never);
      assertEquals([c.batch_size, c.base_lr, c.lr_schedule], [64, 0.1, "linear"]);
      assertEquals(c.w_decay, 5e-4);
      assertEquals(c.test_dataset, "/your/path/to/test_dataset");
    });
  });
});

Deno.test("parseOverride reads the value as YAML", () => {
  assertEquals(parseOverride("epochs=3"), ["epochs", 3]);
  assertEquals(parseOverride("augment.flip=false"), ["augment.flip", false]);
  assertEquals(parseOverride("eval_sets=[lfw-view1, folder:pairs.txt]"), [
    "eval_sets",
    ["lfw-view1", "folder:pairs.txt"],
  ]);
  assertEquals(parseOverride("max_steps=null"), ["max_steps", null]);
  assertEquals(parseOverride("image_root="), ["image_root", null]);
  assertEquals(parseOverride("w_decay=5e-4"), ["w_decay", 0.0005]);
  assertEquals(parseOverride("sub_name=a=b"), ["sub_name", "a=b"]);
  assertEquals(parseOverride(" epochs =2"), ["epochs", 2]);
  assertThrows(() => parseOverride("epochs"), ConfigError);
  assertThrows(() => parseOverride("=3"), ConfigError);
  assertThrows(() => parseOverride("a..b=3"), ConfigError);
  const e = assertThrows(() => parseOverride("eval_sets=[lfw"), ConfigError);
  assertEquals(e.key, "eval_sets");
});

Deno.test("every shipped configs/*.yaml loads and validates", async () => {
  const names = [...Deno.readDirSync(CONFIGS)].map((e) => e.name).filter((n) =>
    n.endsWith(".yaml")
  );
  assert(names.length >= 8, names.join(", "));
  for (const name of names.sort()) {
    const c = await loadConfig(join(CONFIGS, name), { dataRoot: "/data" });
    assert(c.sub_name.length > 0, name);
  }
});
