import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { buildMobileFaceNet } from "./mobilefacenet.ts";

function trainableCount(model: { trainableWeights: { shape: (number | null)[] }[] }): number {
  return model.trainableWeights.reduce(
    (n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
    0,
  );
}

Deno.test("MobileFaceNet: ~1M params, GDC structure, [B, 128] embedding", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const model = buildMobileFaceNet({ seed: 1 });
  try {
    // 1,003,136 trainable (paper: 0.99 M) + 19,584 BN moving statistics.
    assertEquals(trainableCount(model), 1_003_136);
    assertEquals(model.countParams(), 1_022_720);
    assert(model.countParams() > 0.95e6 && model.countParams() < 1.05e6);
    assertEquals(model.getLayer("conv1").outputShape, [null, 56, 56, 64]);
    assertEquals(model.getLayer("stage1_block1_dw").outputShape, [null, 28, 28, 128]);
    assertEquals(model.getLayer("stage3_block6_add").outputShape, [null, 14, 14, 128]);
    assertEquals(model.getLayer("conv_sep").outputShape, [null, 7, 7, 512]);
    const gdc = model.getLayer("gdc_dw");
    assertEquals(gdc.getConfig().kernelSize, [7, 7]);
    assertEquals(gdc.outputShape, [null, 1, 1, 512]);
    const names = model.layers.map((l) => l.name);
    assert(
      !names.includes("gdc_dw_prelu") && !names.includes("embedding_conv_prelu"),
      "linear GDC",
    );
    assert(!names.includes("stage1_block1_add") && names.includes("stage1_block2_add"));
    assertEquals(names.filter((n) => n.endsWith("_add")).length, 4 + 6 + 2); // stages 1, 3, 5
    assertEquals(model.getLayer("conv1_prelu").getWeights()[0].shape, [1, 1, 64]); // shared over H, W
    assert(model.layers.every((l) => l.getConfig().useBias !== true), "no conv bias");
    assertEquals(names.slice(-3), ["embedding_conv", "embedding_conv_bn", "embedding"]);

    const y = tf.tidy(() =>
      model.predict(tf.randomUniform([2, 112, 112, 3], 0, 1, "float32", 4)) as tf.Tensor
    );
    assertEquals(y.shape, [2, 128]);
    assert((await y.data()).every(Number.isFinite));
    y.dispose();
  } finally {
    model.dispose();
  }
});

Deno.test("MobileFaceNet width 0.5 keeps channels divisible by 8; embdShape sets the output", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const model = buildMobileFaceNet({ width: 0.5, embdShape: 64, seed: 2 });
  try {
    for (const l of model.layers) {
      const c = l.outputShape[3];
      if (l.getClassName() !== "InputLayer" && typeof c === "number") {
        assertEquals(c % 8, 0, l.name);
      }
    }
    assertEquals(model.getLayer("conv_sep").outputShape, [null, 7, 7, 256]);
    assert(model.countParams() < 0.4e6, String(model.countParams()));
    const y = tf.tidy(() => model.predict(tf.zeros([1, 112, 112, 3])) as tf.Tensor);
    assertEquals(y.shape, [1, 64]);
    y.dispose();
  } finally {
    model.dispose();
  }
});
