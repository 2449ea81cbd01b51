import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { measureTraining } from "./throughput.ts";

await setupBackend("wasm", { env: {} });

const quick = { batch: 2, numClasses: 10, embdShape: 16, seconds: 0, minSteps: 2, warmup: 1 };

Deno.test("measureTraining times the trainer's step in this thread and leaks nothing", async () => {
  const before = tf.memory().numTensors;
  const r = await measureTraining("MobileFaceNet", quick);
  assertEquals([r.mode, r.batch, r.steps, r.backend], ["train", 2, 2, "wasm"]);
  assert(r.imagesPerSec > 0 && r.peakTensorBytes > 0 && r.modelParams > 0, JSON.stringify(r));
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("measureTraining with 2 replicas trains them at once in Workers (the bench's xN row)", async () => {
  const r = await measureTraining("MobileFaceNet", { ...quick, replicas: 2, backend: "wasm" });
  // One step is one batch of 2 x 2 images, split across the two Workers as training does.
  assertEquals([r.mode, r.batch, r.steps], ["train", 4, 2]);
  assert(r.imagesPerSec > 0, JSON.stringify(r));
  assert(Number.isNaN(r.peakTensorBytes) && r.wasmHeapBytes === null, "Workers are not profiled");
});
