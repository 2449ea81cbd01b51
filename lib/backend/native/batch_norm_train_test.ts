import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { assertEquals } from "../../../tests/support/assert.ts";
import { layerStep } from "../../../tests/support/batch_norm_layer_step.ts";
import { BATCH_NORM_TRAIN, batchNormTrain } from "../wasm_kernels/batch_norm_train.ts";
import {
  assertNoLeak,
  compareBackends,
  nativeUnavailable,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;

/** The stock composition on cpu, the one-op kernel on native. */
function bnTrain(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor[] {
  if (tf.getBackend() === "native") return batchNormTrain(x, g, b, eps);
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return [tf.batchNorm(x, mean, variance, b, g, eps), mean, variance];
}

Deno.test({
  name: "batchNormTrain forward and gradients: native kernel matches cpu stock path",
  ignore,
  fn: async () => {
    await setupBackends();
    const shapes = [[2, 9, 9, 3], [3, 5, 7, 17], [8, 16], [2, 1, 1, 5], [5, 4, 6]];
    for (const [i, shape] of shapes.entries()) {
      const c = shape[shape.length - 1];
      await compareBackends(`batchNormTrain ${shape}`, () => {
        // Offset mean (10) and small spread: checks the statistics against cancellation.
        const x = tf.add(tf.mul(rand(shape, 500 + i), 0.5), 10);
        const gamma = tf.add(rand([c], 510 + i), 1.5), beta = rand([c], 520 + i);
        const w = rand(shape, 530 + i), wm = rand([c], 540 + i), wv = rand([c], 550 + i);
        const fwd = bnTrain(x, gamma, beta, 1e-3);
        // Loss through y only (the usual case) and through y, mean and variance.
        const lossY = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(bnTrain(a, g, b, 1e-3)[0], w));
        const lossAll = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const [y, m, v] = bnTrain(a, g, b, 1e-3);
          return tf.addN([tf.sum(tf.mul(y, w)), tf.sum(tf.mul(m, wm)), tf.sum(tf.mul(v, wv))]);
        };
        return [
          ...fwd,
          ...tf.grads(lossY)([x, gamma, beta]),
          ...tf.grads(lossAll)([x, gamma, beta]),
        ];
      }, { backend: "native" });
    }
  },
});

Deno.test({
  name: "BatchNormalization layer (training): routed to the native kernel, matches stock cpu",
  ignore,
  fn: async () => {
    await setupBackends();
    const cases: [number[], number][] = [[[4, 6, 6, 5], 3], [[3, 5, 7, 17], -1], [[8, 16], -1]];
    for (const [i, [shape, axis]] of cases.entries()) {
      await compareBackends(
        `layer BN ${shape} axis ${axis}`,
        () => layerStep(shape, axis, 70 * i),
        {
          backend: "native",
        },
      );
    }
    await tf.setBackend("native");
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
    await tf.setBackend("wasm");
  },
});

Deno.test({
  name: "batchNormTrain on native: no tensor or buffer leak",
  ignore,
  fn: async () => {
    await setupBackends();
    await tf.setBackend("native");
    const x = rand([2, 5, 5, 4], 1), g = rand([4], 2), b = rand([4], 3);
    const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.square(batchNormTrain(a, gg, bb, 1e-3)[0]))
    );
    assertNoLeak("batchNormTrain", () => {
      tf.dispose(grads([x, g, b]));
      tf.dispose(batchNormTrain(x, g, b, 1e-3));
    });
    tf.dispose([x, g, b]);
    await tf.setBackend("wasm");
  },
});
