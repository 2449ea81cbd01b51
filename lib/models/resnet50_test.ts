import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { buildResNet50, RESNET_BN_EPSILON } from "./resnet50.ts";

const names = (m: tfl.LayersModel) => m.layers.map((l) => l.name);

Deno.test("ResNet50 matches Keras: params, layer names and order, BN and conv settings, 4x4x2048 map", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const model = buildResNet50({ seed: 3 });
  try {
    assertEquals(model.name, "resnet50");
    assertEquals(model.countParams(), 23_587_712);
    const ls = names(model);
    assertEquals(ls.length, 175); // Keras: len(ResNet50(include_top=False).layers)
    assertEquals(ls.slice(1, 8), [
      "conv1_pad",
      "conv1_conv",
      "conv1_bn",
      "conv1_relu",
      "pool1_pad",
      "pool1_pool",
      "conv2_block1_1_conv",
    ]);
    // Keras orders the shortcut conv after the main branch's second ReLU (by graph depth).
    assertEquals(ls.slice(12, 19), [
      "conv2_block1_2_relu",
      "conv2_block1_0_conv",
      "conv2_block1_3_conv",
      "conv2_block1_0_bn",
      "conv2_block1_3_bn",
      "conv2_block1_add",
      "conv2_block1_out",
    ]);
    assertEquals(ls[ls.length - 1], "conv5_block3_out");
    for (const block of ["conv2_block3", "conv3_block4", "conv4_block6", "conv5_block3"]) {
      assert(ls.includes(`${block}_add`), block);
      assert(!ls.includes(`${block}_0_conv`), `${block} has an identity shortcut`);
    }
    assert(!ls.includes("conv4_block7_add"));
    const bn = model.getLayer("conv3_block2_2_bn").getConfig();
    assertEquals([bn.epsilon, bn.momentum], [RESNET_BN_EPSILON, 0.99]);
    assertEquals(bn.epsilon, 1.001e-5);
    const c = model.getLayer("conv4_block1_0_conv").getConfig();
    assertEquals([c.useBias, c.strides, c.filters], [true, [2, 2], 1024]);
    assertEquals(model.getLayer("conv2_block1_1_conv").getConfig().strides, [1, 1]);
    assertEquals(model.getLayer("conv1_conv").getWeights()[0].shape, [7, 7, 3, 64]);
    assertEquals(model.getLayer("conv5_block3_3_conv").getWeights()[0].shape, [1, 1, 512, 2048]);
    const shapes = [
      "pool1_pool",
      "conv2_block3_out",
      "conv3_block4_out",
      "conv4_block6_out",
      "conv5_block3_out",
    ]
      .map((n) => model.getLayer(n).outputShape);
    assertEquals(shapes, [
      [null, 28, 28, 64],
      [null, 28, 28, 256],
      [null, 14, 14, 512],
      [null, 7, 7, 1024],
      [null, 4, 4, 2048],
    ]);

    const y = tf.tidy(() =>
      model.predict(tf.randomUniform([1, 112, 112, 3], 0, 1, "float32", 1)) as tf.Tensor
    );
    assertEquals(y.shape, [1, 4, 4, 2048]);
    const v = await y.data();
    assert(v.every(Number.isFinite) && v.every((x) => x >= 0), "finite post-ReLU features");
    y.dispose();
  } finally {
    model.dispose();
  }
});
