import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { FusedMomentumOptimizer } from "./fused_momentum.ts";
import {
  nativeUnavailable,
  relError,
  setupBackends,
} from "../../tests/support/wasm_kernel_checks.ts";

await setupBackends();

/** Three updates of two variables by `make()`'s optimiser; values, slots and slot names. */
async function run(make: () => tf.MomentumOptimizer) {
  const a = tf.tidy(() =>
    tf.variable(tf.randomNormal([300, 70], 0, 1, "float32", 1), true, "fm_a")
  );
  const b = tf.tidy(() => tf.variable(tf.randomNormal([9], 0, 1, "float32", 2), true, "fm_b"));
  const opt = make();
  for (let step = 0; step < 3; step++) {
    opt.setLearningRate(0.1 / (step + 1)); // a schedule: the kernel must take each step's rate
    tf.tidy(() => {
      opt.applyGradients([
        { name: a.name, tensor: tf.randomNormal(a.shape, 0, 1, "float32", 10 + step) },
        { name: b.name, tensor: tf.randomNormal(b.shape, 0, 1, "float32", 20 + step) },
      ]);
    });
  }
  const slots = await opt.getWeights();
  const out = {
    values: [await a.data(), await b.data()].map((x) => Float32Array.from(x as Float32Array)),
    slots: await Promise.all(
      slots.slice(1).map(async (s) => Float32Array.from(await s.tensor.data() as Float32Array)),
    ),
    names: slots.map((s) => s.name),
  };
  // getWeights' iteration scalar, and SGD's learning-rate scalar that tfjs-core 4.x's
  // MomentumOptimizer.dispose() forgets (as Replica.dispose frees it).
  tf.dispose([slots[0].tensor, (opt as unknown as { c: tf.Tensor }).c]);
  opt.dispose();
  tf.dispose([a, b]);
  return out;
}

for (const nesterov of [true, false]) {
  Deno.test({
    name: `fused momentum (nesterov ${nesterov}) on native matches tfjs' optimiser on cpu`,
    ignore: nativeUnavailable !== null,
    fn: async () => {
      await tf.setBackend("cpu");
      const ref = await run(() => tf.train.momentum(0.1, 0.9, nesterov));
      await tf.setBackend("native");
      assert(FusedMomentumOptimizer.fused(), "native registers the fused update");
      const before = tf.memory().numTensors;
      const got = await run(() => new FusedMomentumOptimizer(0.1, 0.9, nesterov));
      assertEquals(tf.memory().numTensors, before, "no tensor leaks");
      assertEquals(got.names, ref.names);
      for (const [i, v] of got.values.entries()) {
        const d = relError(v, ref.values[i]);
        assert(d <= 1e-6, `variable ${i}: max relative difference ${d}`);
      }
      for (const [i, s] of got.slots.entries()) {
        const d = relError(s, ref.slots[i]);
        assert(d <= 1e-6, `slot ${i}: max relative difference ${d}`);
      }
    },
  });
}

Deno.test("fused momentum where the backend lacks the kernel: tfjs' own update, bit for bit", async () => {
  await tf.setBackend("cpu");
  assert(!FusedMomentumOptimizer.fused());
  const ref = await run(() => tf.train.momentum(0.1, 0.9, true));
  const got = await run(() => new FusedMomentumOptimizer(0.1, 0.9, true));
  assertEquals(got.values, ref.values);
  assertEquals(got.slots, ref.slots);
});
