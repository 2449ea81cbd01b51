import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import type { Replica, ReplicaSpec } from "./replica.ts";
import { createReplicas, LocalReplica, type ReplicaHandle } from "./replica_pool.ts";
import { splitBatch, type StepBatch, trainStep } from "./train_step.ts";
import { tinyReplicaSpec } from "../../tests/support/tiny_replica.ts";

await setupBackend("wasm", { env: {} });

const spec = tinyReplicaSpec;

/** `n` images of `size`² RGB in [0, 1] (seeded LCG) and labels `i % classes`. */
function batch(n: number, size: number, classes: number, seed = 7): StepBatch {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return {
    images: Float32Array.from({ length: n * size * size * 3 }, rnd),
    labels: Int32Array.from({ length: n }, (_, i) => i % classes),
  };
}

async function local(s: ReplicaSpec): Promise<[ReplicaHandle, Replica]> {
  const [h] = await createReplicas(s);
  assert(h instanceof LocalReplica);
  return [h, h.replica];
}

const values = (vars: tf.Variable[]) =>
  Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));

Deno.test("a training step leaks no tensors (MobileFaceNet + ArcHead on wasm)", async () => {
  const [h] = await local(spec({ inputSize: 112, embdShape: 32 }));
  try {
    const data = batch(2, 112, 5);
    const options = { lr: 0.01, microBatch: 2, gradClipNorm: null };
    await trainStep([h], data, options); // the first step creates the momentum slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const r = await trainStep([h], data, options);
      assert(Number.isFinite(r.loss) && r.applied, `loss ${r.loss}`);
      // ArcHead: the angle is in degrees (a fresh head: near 90), the plain accuracy a fraction.
      assert(r.targetAngle! > 45 && r.targetAngle! < 135, `target angle ${r.targetAngle}`);
      assert(r.cosineAccuracy! >= 0 && r.cosineAccuracy! <= 1, `${r.cosineAccuracy}`);
    }
    assertEquals(tf.memory().numTensors, before);
  } finally {
    await h.close();
  }
});

Deno.test("training steps lower the loss on a fixed batch and update every variable", async () => {
  const [h, replica] = await local(
    spec({ backbone: "MobileNetV2", inputSize: 64, width: 0.35, head: "NormHead", numClasses: 4 }),
  );
  try {
    const data = batch(8, 64, 4, 5);
    const initial = await values(replica.variables);
    const losses: number[] = [];
    for (let i = 0; i < 12; i++) {
      // Two micro-batches of 4: the accumulation path of the loop.
      const r = await trainStep([h], data, { lr: 0.01, microBatch: 4, gradClipNorm: null });
      losses.push(r.loss);
      assertEquals([r.cosineAccuracy, r.targetAngle], [null, null], "NormHead has no angle");
    }
    assert(losses.every(Number.isFinite), `non-finite loss: ${losses}`);
    assert(
      losses[losses.length - 1] < losses[0],
      `loss did not fall: ${losses.map((l) => l.toFixed(3))}`,
    );
    const after = await values(replica.variables);
    const unchanged = replica.variables.filter((_, i) =>
      after[i].every((x, j) => x === initial[i][j])
    );
    assertEquals(unchanged.map((v) => v.name), [], "variables the step never updated");
  } finally {
    await h.close();
  }
});

Deno.test("splitBatch: micro-batches grouped contiguously per replica, as copies", () => {
  const b = {
    images: Float32Array.from({ length: 10 }, (_, i) => i),
    labels: Int32Array.of(0, 1, 2, 3, 4),
  };
  const labels = (g: ReturnType<typeof splitBatch>) => g.map((r) => r.map((m) => [...m.labels]));
  const two = splitBatch(b, { microBatch: 2, replicas: 2 });
  assertEquals(labels(two), [[[0, 1], [2, 3]], [[4]]]);
  assertEquals([...two[1][0].images], [8, 9]);
  assertEquals(labels(splitBatch(b, { microBatch: 2, replicas: 4 })), [
    [[0, 1]],
    [[2, 3]],
    [[4]],
    [],
  ]);
  two[0][0].images[0] = -1;
  assertEquals(b.images[0], 0, "a share must not alias the batch (Workers take them over)");
});

Deno.test("a non-finite loss applies nothing (the NaN guard) and says so", async () => {
  const [h, replica] = await local(spec({}));
  try {
    const data = batch(4, 32, 5);
    data.images[5] = NaN;
    const before = await values(replica.variables);
    const r = await trainStep([h], data, { lr: 0.1, microBatch: 4, gradClipNorm: null });
    assertEquals(r.applied, false);
    assert(!Number.isFinite(r.loss) || !Number.isFinite(r.gradNorm), `${r.loss} ${r.gradNorm}`);
    const after = await values(replica.variables);
    replica.variables.forEach((v, i) =>
      assert(after[i].every((x, j) => Object.is(x, before[i][j])), `${v.name} changed`)
    );
  } finally {
    await h.close();
  }
});

Deno.test("gradClipNorm clips the applied update; the reported norm is the one before", async () => {
  // Nesterov SGD's first update is lr * (1 + momentum) * g: its norm shows the clipped |g|.
  const [h, replica] = await local(spec({}));
  try {
    const w0 = await values(replica.variables);
    const clip = 1e-3, lr = 0.1;
    const r = await trainStep([h], batch(4, 32, 5), { lr, microBatch: 2, gradClipNorm: clip });
    assert(r.applied && r.gradNorm > 100 * clip, `norm ${r.gradNorm}`);
    const w1 = await values(replica.variables);
    let sq = 0;
    w1.forEach((a, i) => a.forEach((x, j) => sq += (x - w0[i][j]) ** 2));
    const moved = Math.sqrt(sq), expected = lr * 1.9 * clip;
    assert(Math.abs(moved - expected) < 0.02 * expected, `moved ${moved}, expected ${expected}`);
  } finally {
    await h.close();
  }
});
