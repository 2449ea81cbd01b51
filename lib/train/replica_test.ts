import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { type MicroBatch, Replica, type ReplicaSpec } from "./replica.ts";
import { addInto } from "./grad_math.ts";
import { mulberry32 } from "../random/seeded_rng.ts";

await setupBackend("wasm", { env: {} });

const S = 32;
const spec: ReplicaSpec = {
  backbone: "MobileFaceNet",
  inputSize: S,
  embdShape: 6,
  width: 0.25,
  dropout: 0,
  modelWDecay: 0,
  head: "ArcHead",
  numClasses: 5,
  margin: 0.5,
  scale: 16,
  seed: 11,
  momentum: 0.9,
  nesterov: true,
  decayAll: 0,
};

/** A BatchNorm-free embedding network: flatten -> dense(12, tanh) -> dense(6). */
function bnFree(s: ReplicaSpec): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape: [s.inputSize, s.inputSize, 3] }));
  m.add(
    tfl.layers.dense({
      units: 12,
      activation: "tanh",
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  m.add(
    tfl.layers.dense({
      units: s.embdShape,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  return m;
}

function batch(n: number, seed: number): MicroBatch {
  const rnd = mulberry32(seed);
  return {
    images: Float32Array.from({ length: n * S * S * 3 }, rnd),
    labels: Int32Array.from({ length: n }, (_, i) => (i * 3 + seed) % 5),
  };
}

function slice(b: MicroBatch, from: number, to: number): MicroBatch {
  const px = S * S * 3;
  return { images: b.images.slice(from * px, to * px), labels: b.labels.slice(from, to) };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(a[i]));
  }
  return num / den;
}

Deno.test("accumulated micro-batches (and two replicas' shares) equal one big batch without BN", async () => {
  const r = new Replica(spec, { buildModel: bnFree });
  try {
    const b = batch(8, 3);
    const whole = await r.gradients([b], 8);
    const micro = await r.gradients([slice(b, 0, 3), slice(b, 3, 5), slice(b, 5, 8)], 8);
    assert(
      maxRelDiff(whole.grads, micro.grads) < 1e-5,
      `micro ${maxRelDiff(whole.grads, micro.grads)}`,
    );
    assert(Math.abs(whole.loss - micro.loss) < 1e-5, `loss ${whole.loss} vs ${micro.loss}`);
    // Two replicas' shares (as the trainer splits a batch), summed:
    const a = await r.gradients([slice(b, 0, 4)], 8), c = await r.gradients([slice(b, 4, 8)], 8);
    addInto(a.grads, c.grads);
    assert(maxRelDiff(whole.grads, a.grads) < 1e-5, `replicas ${maxRelDiff(whole.grads, a.grads)}`);
    assertEquals(a.examples + c.examples, 8);
    // And the test can fail: a wrong weight (share / micro-batch size) is far off.
    const wrong = await r.gradients([slice(b, 0, 4)], 4);
    assert(maxRelDiff(whole.grads, wrong.grads) > 1e-2);
  } finally {
    r.dispose();
  }
});

Deno.test("gradients into a reused array (what LocalReplica passes) equal fresh ones, each call", async () => {
  const r = new Replica(spec, { buildModel: bnFree });
  try {
    const into = new Float32Array(r.size).fill(Number.NaN); // stale values must not survive
    for (const seed of [3, 4]) {
      const fresh = await r.gradients([batch(4, seed)], 4);
      const reused = await r.gradients([batch(4, seed)], 4, { into });
      assert(reused.grads === into, "the array passed in is the one returned");
      assertEquals(Array.from(reused.grads), Array.from(fresh.grads));
    }
    // A wrong-size array is not used (a fresh one is returned).
    const other = await r.gradients([batch(4, 3)], 4, { into: new Float32Array(3) });
    assertEquals(other.grads.length, r.size);
  } finally {
    r.dispose();
  }
});

Deno.test("a gradient + apply step leaks no tensors and moves the weights", async () => {
  const r = new Replica(spec);
  try {
    const b = batch(4, 5);
    r.apply((await r.gradients([b], 4)).grads, 0.1); // creates the momentum slots
    const before = tf.memory().numTensors;
    const w0 = (await r.state()).model;
    for (let i = 0; i < 2; i++) {
      r.apply((await r.gradients([slice(b, 0, 2), slice(b, 2, 4)], 4)).grads, 0.1);
    }
    const w1 = (await r.state()).model;
    assertEquals(tf.memory().numTensors, before);
    assert(
      w0.some((a, i) => a.values.some((v, j) => v !== w1[i].values[j])),
      "weights did not move",
    );
  } finally {
    r.dispose();
  }
});

Deno.test("state() / load() round-trips weights and momentum: the next steps are identical", async () => {
  const a = new Replica(spec), b = new Replica({ ...spec, seed: 99 });
  try {
    const x = batch(4, 7);
    for (let i = 0; i < 2; i++) a.apply((await a.gradients([x], 4)).grads, 0.05);
    await b.load(await a.state());
    const before = tf.memory().numTensors;
    for (const r of [a, b]) r.apply((await r.gradients([x], 4)).grads, 0.05);
    const sa = await a.state(), sb = await b.state();
    for (const g of ["model", "head", "optimizer"] as const) {
      sa[g].forEach((arr, i) =>
        assertEquals(Array.from(sb[g][i].values), Array.from(arr.values), `${g} ${arr.name}`)
      );
    }
    assertEquals(tf.memory().numTensors, before);
  } finally {
    a.dispose();
    b.dispose();
  }
});

Deno.test("a replica built, trained and disposed leaves no tensor behind", async () => {
  const before = tf.memory().numTensors;
  const r = new Replica(spec);
  r.apply((await r.gradients([batch(2, 9)], 2)).grads, 0.1);
  r.dispose();
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("gradients() counts plain-cosine hits and sums the target angle, leaking nothing", async () => {
  const r = new Replica(spec, { buildModel: bnFree });
  try {
    const b = batch(7, 4);
    // The reference: the same forward pass (no BN, no dropout), cosines read back and scored here.
    const cos = tf.tidy(() => {
      const emb = r.model.apply(tf.tensor4d(b.images, [7, S, S, 3])) as tf.Tensor2D;
      return r.head.cosine!(emb);
    });
    const c = await cos.array();
    cos.dispose();
    // Labels: the nearest centre for the even examples (a plain-cosine hit), another for the odd.
    c.forEach((row, i) => {
      const best = row.indexOf(Math.max(...row));
      b.labels[i] = i % 2 === 0 ? best : (best + 1) % 5;
    });
    const angles = c.reduce((sum, row, i) => sum + Math.acos(row[b.labels[i]]), 0);
    const before = tf.memory().numTensors;
    const g = await r.gradients([slice(b, 0, 3), slice(b, 3, 7)], 7);
    assertEquals(tf.memory().numTensors, before);
    assertEquals(g.cosineCorrect, 4);
    // The margin costs hits: the case tells plain-cosine from margin accuracy apart.
    assert(g.correct < 4, `with margin ${g.correct} hits`);
    assert(
      Math.abs(g.targetAngleSum! - angles) < 1e-4,
      `angle sum ${g.targetAngleSum} vs ${angles}`,
    );
  } finally {
    r.dispose();
  }
});

Deno.test("a head without cosine() (NormHead) logs no angle and no plain-cosine accuracy", async () => {
  const r = new Replica({ ...spec, head: "NormHead" }, { buildModel: bnFree });
  try {
    const g = await r.gradients([batch(3, 2)], 3);
    assertEquals([g.cosineCorrect, g.targetAngleSum], [null, null]);
  } finally {
    r.dispose();
  }
});
