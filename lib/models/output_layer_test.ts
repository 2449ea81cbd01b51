import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { regularizationLoss } from "./embedding_model.ts";
import { buildOutputLayer } from "./output_layer.ts";

Deno.test("output layer: BN -> Dropout -> Flatten -> Dense(L2) -> BN, Keras BN defaults", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const head = buildOutputLayer([2, 2, 8], { embdShape: 6, wDecay: 1e-2, dropout: 0.5, seed: 9 });
  try {
    assertEquals(head.name, "OutputLayer");
    assertEquals(head.layers.map((l) => l.getClassName()), [
      "InputLayer",
      "BatchNormalization",
      "Dropout",
      "Flatten",
      "Dense",
      "BatchNormalization",
    ]);
    for (const l of [head.layers[1], head.layers[5]]) {
      const c = l.getConfig();
      assertEquals([c.epsilon, c.momentum], [1e-3, 0.99]);
    }
    assertEquals(head.layers[2].getConfig().rate, 0.5);
    const dense = head.layers[4];
    assertEquals(dense.getConfig().useBias, true);
    assertEquals(dense.getWeights()[0].shape, [32, 6]);
    // BN(8) 32 + Dense 32*6+6 + BN(6) 24
    assertEquals(head.countParams(), 32 + 198 + 24);

    const kernel = dense.getWeights()[0];
    const expected = 1e-2 * (await tf.sum(tf.square(kernel)).data())[0];
    const reg = regularizationLoss(head);
    assertAlmostEquals((await reg.data())[0], expected, 1e-6);
    reg.dispose();

    // Inference is deterministic (dropout off, BN on moving statistics) and not normalised.
    const x = tf.randomUniform([3, 2, 2, 8], 0, 1, "float32", 3);
    const a = head.predict(x) as tf.Tensor;
    const b = head.predict(x) as tf.Tensor;
    assertEquals(a.shape, [3, 6]);
    assertEquals(Array.from(await a.data()), Array.from(await b.data()));
    const norms = await tf.norm(a, 2, 1).data();
    assert(norms.some((n) => Math.abs(n - 1) > 1e-3), "embedding is not L2-normalised");
    tf.dispose([x, a, b]);
  } finally {
    head.dispose();
  }
});

Deno.test("output layer without weight decay has no regularisation term", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const head = buildOutputLayer([1, 1, 4], { embdShape: 2, wDecay: 0 });
  const reg = regularizationLoss(head);
  assertEquals((await reg.data())[0], 0);
  reg.dispose();
  head.dispose();
});
