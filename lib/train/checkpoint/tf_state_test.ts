import * as tf from "@tensorflow/tfjs-core";
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../../../tests/support/assert.ts";
import { setupBackend } from "../../backend/mod.ts";
import { buildEmbeddingModel } from "../../models/mod.ts";
import { Replica } from "../replica.ts";
import { LocalReplica } from "../replica_pool.ts";
import { trainStep } from "../train_step.ts";
import {
  assignArrays,
  CheckpointError,
  indexedVariables,
  modelWeightArrays,
  type NamedArray,
  optimizerSlotArrays,
  readCheckpoint,
  setModelWeights,
  setOptimizerSlots,
  tensorsToArrays,
  writeCheckpoint,
} from "./mod.ts";

await setupBackend("wasm", { env: {} });

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

function assertSameArrays(actual: NamedArray[], expected: NamedArray[], what: string): void {
  assertEquals(actual.map((a) => [a.name, a.shape]), expected.map((a) => [a.name, a.shape]), what);
  actual.forEach((a, i) => {
    assertEquals(bits(a.values), bits(expected[i].values), `${what} '${a.name}' is not bit-exact`);
  });
}

/** Saves groups to a fresh temp root and reads them back from disk. */
async function throughDisk(groups: Record<string, NamedArray[]>, step: number) {
  const root = await Deno.makeTempDir();
  const dir = await writeCheckpoint(root, { step, groups, state: {}, configYaml: "" });
  const read = await readCheckpoint(dir);
  await Deno.remove(root, { recursive: true });
  return read.groups;
}

/** A tiny problem: loss = sum((x W - y)^2) + sum(b^2) over two variables. */
function makeVars(seed: number): tf.Variable[] {
  return [
    tf.variable(tf.randomNormal([3, 2], 0, 1, "float32", seed)),
    tf.variable(tf.randomNormal([2], 0, 1, "float32", seed + 1)),
  ];
}

function quadStep(vars: tf.Variable[], opt: tf.Optimizer, x: tf.Tensor2D, y: tf.Tensor2D): void {
  const [w, b] = vars;
  opt.minimize(
    () => tf.add(tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))), tf.sum(tf.square(b))),
    false,
    vars,
  );
}

Deno.test("momentum (Nesterov) restored from disk into a fresh optimizer continues bit-identically", async () => {
  const x = tf.randomNormal([4, 3], 0, 1, "float32", 11) as tf.Tensor2D;
  const y = tf.randomNormal([4, 2], 0, 1, "float32", 12) as tf.Tensor2D;
  const ref = makeVars(1);
  const refOpt = tf.train.momentum(0.05, 0.9, true);
  for (let i = 0; i < 3; i++) quadStep(ref, refOpt, x, y);

  const run = makeVars(1);
  const runOpt = tf.train.momentum(0.05, 0.9, true);
  for (let i = 0; i < 2; i++) quadStep(run, runOpt, x, y);
  const before = tf.memory().numTensors;
  const named = indexedVariables(run, "vars");
  const saved = await throughDisk({
    vars: await tensorsToArrays(named.map((n) => ({ name: n.name, tensor: n.variable }))),
    optimizer: await optimizerSlotArrays(runOpt),
  }, 2);
  assertEquals(tf.memory().numTensors, before, "saving leaked tensors");
  assertEquals(saved.optimizer.map((a) => a.shape), [[], [3, 2], [2]]);
  assertEquals(Array.from(saved.optimizer[0].values), [2]);

  const fresh = makeVars(99);
  const freshOpt = tf.train.momentum(0.05, 0.9, true);
  const beforeRestore = tf.memory().numTensors;
  assignArrays(indexedVariables(fresh, "vars"), saved.vars);
  await setOptimizerSlots(freshOpt, saved.optimizer, { variables: fresh });
  assertEquals(tf.memory().numTensors, beforeRestore + 2, "restore should add just the 2 slots");
  assertEquals(freshOpt.iterations, 2);
  quadStep(fresh, freshOpt, x, y);

  const names = (vs: tf.Variable[]) =>
    indexedVariables(vs, "v").map((n) => ({ ...n, tensor: n.variable }));
  assertSameArrays(
    await tensorsToArrays(names(fresh)),
    await tensorsToArrays(names(ref)),
    "variable",
  );
  const [a, b] = [await optimizerSlotArrays(freshOpt), await optimizerSlotArrays(refOpt)];
  assertEquals(bits(a[0].values), bits(b[0].values));
  a.slice(1).forEach((s, i) => assertEquals(bits(s.values), bits(b[i + 1].values), "slot"));
  tf.dispose([x, y, ...ref, ...run, ...fresh]);
  [refOpt, runOpt, freshOpt].forEach((o) => o.dispose());
});

Deno.test("a MobileFaceNet + ArcHead training run resumed from a checkpoint matches an uninterrupted one", async () => {
  const images = tf.randomUniform([4, 32, 32, 3], 0, 1, "float32", 5);
  const batch = { images: await images.data() as Float32Array, labels: Int32Array.of(0, 1, 2, 1) };
  images.dispose();
  const make = (seed: number) =>
    new Replica({
      backbone: "MobileFaceNet",
      inputSize: 32,
      embdShape: 16,
      width: 0.25,
      dropout: 0.5,
      modelWDecay: 5e-4,
      head: "ArcHead",
      numClasses: 3,
      margin: 0.5,
      scale: 64,
      seed,
      momentum: 0.9,
      nesterov: true,
      decayAll: 0,
    });
  // The training step itself (not Replica.load: this test is about the checkpoint functions).
  const steps = async (net: Replica, n: number) => {
    const options = { lr: 0.01, microBatch: 4, gradClipNorm: null };
    for (let i = 0; i < n; i++) await trainStep([new LocalReplica(net)], batch, options);
  };
  const capture = async (net: Replica) => ({
    model: await modelWeightArrays(net.model),
    head: await tensorsToArrays(
      indexedVariables(net.head.trainableVariables, "head").map((n) => ({
        name: n.name,
        tensor: n.variable,
      })),
    ),
    optimizer: await optimizerSlotArrays(net.optimizer),
  });

  const ref = make(1);
  await steps(ref, 3);
  const run = make(1);
  await steps(run, 2);
  const saved = await throughDisk(await capture(run), 2);
  assert(saved.model.some((a) => a.name.endsWith("/moving_mean")), "BN moving stats not saved");

  const resumed = make(2); // other initial values: everything must come from the checkpoint
  const before = tf.memory().numTensors;
  setModelWeights(resumed.model, saved.model);
  assignArrays(indexedVariables(resumed.head.trainableVariables, "head"), saved.head, {
    what: "head weight",
    owner: "head",
  });
  await setOptimizerSlots(resumed.optimizer, saved.optimizer, {
    variables: resumed.variables,
  });
  assertEquals(tf.memory().numTensors, before + saved.optimizer.length - 1);
  await steps(resumed, 1);

  const [got, want] = [await capture(resumed), await capture(ref)];
  assertSameArrays(got.model, want.model, "model weight");
  assertSameArrays(got.head, want.head, "head weight");
  assertEquals(got.optimizer.length, want.optimizer.length);
  got.optimizer.forEach((s, i) => {
    assertEquals(bits(s.values), bits(want.optimizer[i].values), `slot ${i} (${s.name})`);
  });
  for (const net of [ref, run, resumed]) net.dispose();
});

Deno.test("weights of another config are refused with the names and shapes that differ", async () => {
  const small = buildEmbeddingModel({
    backbone: "MobileFaceNet",
    inputSize: 32,
    embdShape: 16,
    width: 0.25,
    seed: 1,
  });
  const wide = buildEmbeddingModel({
    backbone: "MobileFaceNet",
    inputSize: 32,
    embdShape: 16,
    width: 0.5,
    seed: 1,
  });
  const arrays = await modelWeightArrays(small);
  const before = tf.memory().numTensors;
  const kernelBefore = await wide.weights[0].read().data();
  const err = assertThrows(() => setModelWeights(wide, arrays), CheckpointError);
  const k = wide.weights[0];
  assert(
    err.message.includes(
      `model weight '${k.originalName}' has shape [${arrays[0].shape}] in the checkpoint but ` +
        `[${k.shape}] in the model`,
    ),
    err.message,
  );
  assert(err.message.includes("the checkpoint is from another config"), err.message);
  assert(err.message.includes("more)"), err.message);
  assertEquals(
    Array.from(await k.read().data()),
    Array.from(kernelBefore),
    "a weight was assigned",
  );

  const missing = assertThrows(() => setModelWeights(small, arrays.slice(1)), CheckpointError);
  assert(missing.message.includes(`'${arrays[0].name}' is in the model but not in the checkpoint`));
  const extra = [...arrays, { name: "extra/w", shape: [1], values: new Float32Array(1) }];
  const extraErr = assertThrows(() => setModelWeights(small, extra), CheckpointError);
  assert(extraErr.message.includes("'extra/w' is in the checkpoint but not in the model"));
  assertEquals(tf.memory().numTensors, before);
  small.dispose();
  wide.dispose();
});

Deno.test("optimizer state is checked against the variables and restoring leaks nothing", async () => {
  const vars = makeVars(3);
  const x = tf.ones([4, 3]) as tf.Tensor2D;
  const y = tf.zeros([4, 2]) as tf.Tensor2D;
  const opt = tf.train.momentum(0.1, 0.9, true);
  quadStep(vars, opt, x, y);
  const slots = await optimizerSlotArrays(opt);
  const sgd = tf.train.sgd(0.1); // owns a learning-rate scalar
  const before = tf.memory().numTensors;
  // Restoring over existing slots replaces (and frees) them.
  await setOptimizerSlots(opt, slots, { variables: vars });
  await setOptimizerSlots(opt, slots);
  assertEquals(tf.memory().numTensors, before);
  assertSameArrays(await optimizerSlotArrays(opt), slots, "slot");

  const swapped = [slots[0], slots[2], slots[1]];
  const err = await assertRejects(
    () => setOptimizerSlots(opt, swapped, { variables: vars }),
    CheckpointError,
  );
  assert(err.message.includes("has shape [2] in the checkpoint but its variable 0"), err.message);
  await assertRejects(() => setOptimizerSlots(opt, slots.slice(1)), CheckpointError);
  const sgdErr = await assertRejects(() => setOptimizerSlots(sgd, slots), CheckpointError);
  assert(sgdErr.message.includes("SGD"), sgdErr.message);
  assertEquals(tf.memory().numTensors, before);
  tf.dispose([x, y, ...vars]);
  opt.dispose();
  sgd.dispose();
});
