import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import {
  assertNoLeak,
  compareWithCpu,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("BN in training (moments + batchNorm) gradients: wasm matches cpu", async () => {
  await setupBackends();
  for (const [i, shape] of [[2, 9, 9, 3], [4, 5, 7, 6], [8, 16]].entries()) {
    const c = shape[shape.length - 1];
    const axes = [...Array(shape.length - 1).keys()];
    await compareWithCpu(`moments+batchNorm ${shape}`, () => {
      const x = rand(shape, 500 + i);
      const gamma = tf.add(rand([c], 510 + i), 1.5);
      const beta = rand([c], 520 + i);
      const w = rand(shape, 530 + i);
      const loss = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, axes);
        return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, b, g, 1e-3), w));
      };
      return tf.grads(loss)([x, gamma, beta]);
    });
  }
});

Deno.test("FusedBatchNorm gradient w.r.t. all five inputs: wasm matches cpu", async () => {
  await setupBackends();
  await compareWithCpu("batchNorm4d grads", () => {
    const x = rand([2, 5, 5, 4], 600);
    const mean = rand([4], 601);
    const variance = tf.add(tf.abs(rand([4], 602)), 0.5);
    const scale = rand([4], 603), offset = rand([4], 604), w = rand([2, 5, 5, 4], 605);
    const loss = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.batchNorm(
            a,
            m as tf.Tensor1D,
            v as tf.Tensor1D,
            o as tf.Tensor1D,
            s as tf.Tensor1D,
            1e-3,
          ),
          w,
        ),
      );
    return tf.grads(loss)([x, mean, variance, scale, offset]);
  });
});

Deno.test("tfjs-layers BatchNormalization (training) gradients: wasm matches cpu", async () => {
  await setupBackends();
  await compareWithCpu("layers BN", () => {
    const layer = tfl.layers.batchNormalization({
      gammaInitializer: "ones",
      betaInitializer: "zeros",
      epsilon: 1e-3,
    });
    const x = rand([4, 6, 6, 5], 700);
    layer.build(x.shape);
    const w = rand([4, 6, 6, 5], 701);
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const f = () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar;
    const { grads } = tf.variableGrads(f, vars);
    const dx = tf.grad((xx: tf.Tensor) =>
      tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, w))
    )(x);
    const out = [dx, ...vars.map((v) => grads[v.name])];
    return out;
  });
});

Deno.test("FusedBatchNorm gradient: no tensor or buffer leak", async () => {
  await setupBackends();
  const x = rand([2, 5, 5, 4], 1);
  const scale = rand([4], 2), offset = rand([4], 3);
  const g = tf.grads((a: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, [0, 1, 2]);
    return tf.sum(tf.square(tf.batchNorm(a, mean, variance, offset, scale, 1e-3)));
  });
  assertNoLeak("BN grad", () => tf.dispose(g([x])));
  tf.dispose([x, scale, offset]);
});
