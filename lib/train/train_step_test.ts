import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { buildEmbeddingModel } from "../models/mod.ts";
import { ArcHead, NormHead } from "../heads/mod.ts";
import { disposeStepResult, trainableVariables, trainStep } from "./train_step.ts";

await setupBackend("wasm", { env: {} });

function tinyBatch(batch: number, size: number, classes: number) {
  return {
    images: tf.randomUniform([batch, size, size, 3], 0, 1, "float32", 7) as tf.Tensor4D,
    labels: tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), "int32"),
  };
}

Deno.test("a training step leaks no tensors (MobileFaceNet + ArcHead on wasm)", async () => {
  const model = buildEmbeddingModel({
    backbone: "MobileFaceNet",
    embdShape: 32,
    width: 0.25,
    seed: 3,
  });
  const head = new ArcHead({ embdShape: 32, numClasses: 5, seed: 3 });
  const optimizer = tf.train.momentum(0.01, 0.9, true);
  const data = tinyBatch(2, 112, 5);
  const net = { model, head, optimizer };
  // The first step creates the optimiser's momentum slots: count after it.
  disposeStepResult(trainStep(net, data));
  const before = tf.memory().numTensors;
  for (let i = 0; i < 2; i++) {
    const r = trainStep(net, data);
    assert(Number.isFinite((await r.loss.data())[0]));
    disposeStepResult(r);
  }
  assertEquals(tf.memory().numTensors, before);
  tf.dispose([data.images, data.labels]);
  optimizer.dispose();
  head.dispose();
  model.dispose();
});

Deno.test("training steps lower the loss on a fixed batch and update every variable", async () => {
  const model = buildEmbeddingModel({
    backbone: "MobileNetV2",
    inputSize: 64,
    embdShape: 16,
    width: 0.35,
    seed: 5,
  });
  const head = new NormHead({ embdShape: 16, numClasses: 4, seed: 5 });
  const optimizer = tf.train.momentum(0.01, 0.9, true);
  const data = tinyBatch(8, 64, 4);
  const net = { model, head, optimizer };
  const vars = trainableVariables(net);
  const initial = await Promise.all(vars.map((v) => v.data()));
  const losses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const r = trainStep(net, data);
    losses.push((await r.loss.data())[0]);
    disposeStepResult(r);
  }
  assert(losses.every(Number.isFinite), `non-finite loss: ${losses}`);
  assert(
    losses[losses.length - 1] < losses[0],
    `loss did not fall: ${losses.map((l) => l.toFixed(3))}`,
  );
  const after = await Promise.all(vars.map((v) => v.data()));
  const unchanged = vars.filter((_, i) => after[i].every((x, j) => x === initial[i][j]));
  assertEquals(unchanged.map((v) => v.name), [], "variables the step never updated");
  tf.dispose([data.images, data.labels]);
  optimizer.dispose();
  head.dispose();
  model.dispose();
});
