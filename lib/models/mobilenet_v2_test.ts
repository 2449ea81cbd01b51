import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { buildMobileNetV2, correctPad, makeDivisible } from "./mobilenet_v2.ts";

Deno.test("makeDivisible and correctPad follow Keras", () => {
  assertEquals([8, 16, 24, 32, 96, 160, 320].map((c) => makeDivisible(c * 1.0, 8)), [
    8,
    16,
    24,
    32,
    96,
    160,
    320,
  ]);
  assertEquals(makeDivisible(32 * 0.35, 8), 16); // 11.2 -> 8 would lose > 10 %
  assertEquals(makeDivisible(96 * 0.75, 8), 72);
  assertEquals(makeDivisible(13, 8), 16);
  assertEquals(correctPad(112, 112), [[0, 1], [0, 1]]);
  assertEquals(correctPad(7, 7), [[1, 1], [1, 1]]);
});

Deno.test("MobileNetV2 matches Keras: params, layer names and order, BN settings, 4x4x1280 map", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const model = buildMobileNetV2({ seed: 5 });
  try {
    assertEquals(model.name, "mobilenetv2_1.00_112");
    assertEquals(model.countParams(), 2_257_984);
    const ls = model.layers.map((l) => l.name);
    assertEquals(ls.length, 154); // Keras (TF >= 2.2): len(MobileNetV2(include_top=False).layers)
    assertEquals(ls.slice(1, 13), [
      "Conv1",
      "bn_Conv1",
      "Conv1_relu",
      "expanded_conv_depthwise",
      "expanded_conv_depthwise_BN",
      "expanded_conv_depthwise_relu",
      "expanded_conv_project",
      "expanded_conv_project_BN",
      "block_1_expand",
      "block_1_expand_BN",
      "block_1_expand_relu",
      "block_1_pad",
    ]);
    assertEquals(ls.slice(-3), ["Conv_1", "Conv_1_bn", "out_relu"]);
    const adds = ls.filter((n) => n.endsWith("_add"));
    assertEquals(adds.map((n) => Number(n.split("_")[1])), [2, 4, 5, 7, 8, 9, 11, 12, 14, 15]);
    const pads = ls.filter((n) => n.endsWith("_pad"));
    assertEquals(pads, ["block_1_pad", "block_3_pad", "block_6_pad", "block_13_pad"]);
    assertEquals(model.getLayer("block_1_pad").getConfig().padding, [[0, 1], [0, 1]]);
    const bn = model.getLayer("block_5_depthwise_BN").getConfig();
    assertEquals([bn.epsilon, bn.momentum], [1e-3, 0.999]);
    assertEquals(model.getLayer("block_16_project").getWeights()[0].shape, [1, 1, 960, 320]);
    assertEquals(model.getLayer("out_relu").getConfig().maxValue, 6);

    const y = tf.tidy(() =>
      model.predict(tf.randomUniform([2, 112, 112, 3], 0, 1, "float32", 2)) as tf.Tensor
    );
    assertEquals(y.shape, [2, 4, 4, 1280]);
    const v = await y.data();
    assert(v.every((x) => x >= 0 && x <= 6), "ReLU6 output range");
    y.dispose();
  } finally {
    model.dispose();
  }
});
