import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { assertEquals } from "../../../tests/support/assert.ts";
import { layerStep } from "../../../tests/support/batch_norm_layer_step.ts";
import { BATCH_NORM_TRAIN } from "./batch_norm_train.ts";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("BatchNormalization layer (training): patched wasm matches stock cpu", async () => {
  await setupBackends();
  const cases: [number[], number][] = [
    [[4, 6, 6, 5], 3],
    [[3, 5, 7, 17], -1],
    [[8, 16], -1],
  ];
  for (const [i, [shape, axis]] of cases.entries()) {
    await compareWithCpu(`layer BN ${shape} axis ${axis}`, () => layerStep(shape, axis, 70 * i));
  }
  // Channels not last: the stock call on wasm too (its gradient fails on every backend, so
  // only the output is compared).
  await compareWithCpu("layer BN axis 1 (stock path)", () => {
    const layer = tfl.layers.batchNormalization({ axis: 1 });
    return layer.apply(tf.add(rand([2, 3, 4, 6], 300), 2), { training: true }) as tf.Tensor;
  });
});

Deno.test("BatchNormalization layer (training): runs the one-op kernel on wasm", async () => {
  await setupBackends();
  const layer = tfl.layers.batchNormalization({});
  const x = rand([2, 3, 3, 4], 9);
  const profile = await tf.profile(() =>
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor)
  );
  const names = profile.kernels.map((k) => k.name);
  assertEquals(names.includes(BATCH_NORM_TRAIN), true, names.join());
  assertEquals(names.includes("Mean"), false, names.join());
  x.dispose();
  layer.dispose();
});

Deno.test("BatchNormalization layer (training): no tensor or buffer leak", async () => {
  await setupBackends();
  const layer = tfl.layers.batchNormalization({});
  const x = rand([2, 5, 5, 4], 1);
  layer.build(x.shape);
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  assertNoLeak("layer BN", () => {
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      vars,
    );
    tf.dispose([value, ...Object.values(grads)]);
  });
  tf.dispose([x, ...vars]);
});
