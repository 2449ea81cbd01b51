/**
 * One training step of a tfjs-layers BatchNormalization layer, shared by the wasm and native
 * routing tests (lib/backend/wasm_kernels/batch_norm_layer_test.ts,
 * lib/backend/native/batch_norm_train_test.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { assertEquals } from "./assert.ts";
import { rand } from "./wasm_kernel_checks.ts";

/**
 * One training step of a BatchNormalization layer (momentum 0.9, non-trivial initial moving
 * statistics): output, gradients w.r.t. x, gamma and beta, and the moving statistics after.
 */
export function layerStep(shape: number[], axis: number, seed: number): tf.Tensor[] {
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
