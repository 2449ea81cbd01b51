/**
 * Training on the native backend (oneDNN): a step leaks no tensors, and two runs of the same
 * steps from the same seed give bit-identical weights (oneDNN on Debian's libdnnl2 with its
 * OpenMP threads: measured bit-identical here with 2 threads; the test says so if that ever
 * changes). Skipped where libdnnl2 is missing.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "./support/assert.ts";
import { setupBackend } from "../lib/backend/mod.ts";
import { createReplicas, LocalReplica } from "../lib/train/replica_pool.ts";
import { type StepBatch, trainStep } from "../lib/train/train_step.ts";
import { trainableVariables } from "../lib/train/replica.ts";
import { tinyReplicaSpec } from "./support/tiny_replica.ts";

const nativeLoads = await setupBackend("native", { env: {} }).then(() => true, () => false);

/** `n` images of `size`² RGB in [0, 1] (seeded LCG) and labels `i % classes`. */
function batch(n: number, size: number, classes: number, seed = 7): StepBatch {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return {
    images: Float32Array.from({ length: n * size * size * 3 }, rnd),
    labels: Int32Array.from({ length: n }, (_, i) => i % classes),
  };
}

/** Every trainable weight after `steps` SGD steps of the tiny replica on native. */
async function trainedWeights(steps: number): Promise<Float32Array[]> {
  await setupBackend("native", { env: {} });
  const [h] = await createReplicas(tinyReplicaSpec());
  assert(h instanceof LocalReplica);
  try {
    const options = { lr: 0.05, microBatch: 4, gradClipNorm: null };
    for (let i = 0; i < steps; i++) {
      const r = await trainStep([h], batch(4, 32, 5, 7 + i), options);
      assert(Number.isFinite(r.loss) && r.applied, `loss ${r.loss}`);
    }
    const vars = trainableVariables(h.replica);
    return await Promise.all(vars.map(async (v) => Float32Array.from(await v.data())));
  } finally {
    await h.close();
  }
}

Deno.test({
  name: "a training step on native leaks no tensors",
  ignore: !nativeLoads,
  fn: async () => {
    await setupBackend("native", { env: {} });
    const [h] = await createReplicas(tinyReplicaSpec());
    try {
      const data = batch(4, 32, 5);
      const options = { lr: 0.01, microBatch: 4, gradClipNorm: null };
      await trainStep([h], data, options); // the first step creates the momentum slots
      const counts = () => {
        // The backend's own count: an output a kernel makes and never returns is no tensor.
        const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
        return [tf.memory().numTensors, ids];
      };
      const before = counts();
      for (let i = 0; i < 2; i++) await trainStep([h], data, options);
      assertEquals(counts(), before, "[tensors, backend data ids]");
    } finally {
      await h.close();
      await setupBackend("wasm", { env: {} });
    }
  },
});

Deno.test({
  name: "training on native is deterministic: same seed, same steps -> bit-identical weights",
  ignore: !nativeLoads,
  fn: async () => {
    const a = await trainedWeights(3);
    const b = await trainedWeights(3);
    assertEquals(a.length, b.length);
    let differing = 0;
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < a[i].length; j++) if (a[i][j] !== b[i][j]) differing++;
    }
    assertEquals(differing, 0, `${differing} weights differ between two identical runs`);
    await setupBackend("wasm", { env: {} });
  },
});
