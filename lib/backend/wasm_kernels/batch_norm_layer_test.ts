import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { assertEquals } from "../../../tests/support/assert.ts";
import { BATCH_NORM_TRAIN } from "./batch_norm_train.ts";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

/**
 * One training step of a BatchNormalization layer (momentum 0.9, non-trivial initial moving
 * statistics): output, gradients w.r.t. x, gamma and beta, and the moving statistics after.
 */
function layerStep(shape: number[], axis: number, seed: number): tf.Tensor[] {
  const c = shape[axis < 0 ? shape.length + axis : axis];
  const layer = tfl.layers.batchNormalization({
    axis,
    momentum: 0.9,
    epsilon: 1e-3,
    gammaInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 2, seed }),
    betaInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed: seed + 1 }),
    movingMeanInitializer: tfl.initializers.constant({ value: 0.3 }),
    movingVarianceInitializer: tfl.initializers.constant({ value: 2 }),
  });
  const x = tf.add(rand(shape, seed + 2), 3);
  const w = rand(shape, seed + 3);
  layer.build(x.shape);
  const [gamma, beta] = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  assertEquals(gamma.shape, [c]);
  const { value: y, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar,
    [gamma, beta],
  );
  const dx = tf.grad((a: tf.Tensor) =>
    tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, w))
  )(x);
  const [, , movingMean, movingVar] = layer.getWeights();
  const infer = layer.apply(x, { training: false }) as tf.Tensor;
  return [y, dx, grads[gamma.name], grads[beta.name], movingMean, movingVar, infer];
}

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
