import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { setupBackend } from "../../backend/mod.ts";
import { loadEmbedder } from "../../eval/models/load_embedder.ts";
import { readLocalModel } from "../../eval/models/model_files.ts";
import { buildEmbeddingModel } from "../../models/mod.ts";
import { Replica } from "../replica.ts";
import { LocalReplica } from "../replica_pool.ts";
import { trainStep } from "../train_step.ts";
import { ExportError, exportLayersModel } from "./mod.ts";

await setupBackend("wasm", { env: {} });

const KERAS_CLASSES = new Set([
  "Model",
  "Functional",
  "InputLayer",
  "Conv2D",
  "DepthwiseConv2D",
  "BatchNormalization",
  "PReLU",
  "Add",
  "Flatten",
  "Dropout",
  "Dense",
  "ReLU",
  "Activation",
  "ZeroPadding2D",
  "GlobalAveragePooling2D",
  "MaxPooling2D",
]);

/** Class names of every layer of a Keras model config, nested models included. */
function layerClasses(model: unknown, out = new Set<string>()): Set<string> {
  const m = model as { class_name: string; config: { layers?: unknown[] } };
  out.add(m.class_name);
  for (const layer of m.config.layers ?? []) layerClasses(layer, out);
  return out;
}

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

Deno.test("an exported MobileFaceNet loads back with the same predictions and metadata", async () => {
  // Train a step (BN through the wasm training kernel) so the moving stats are not the init.
  const replica = new Replica({
    backbone: "MobileFaceNet",
    inputSize: 32,
    embdShape: 16,
    width: 0.25,
    dropout: 0.5,
    modelWDecay: 5e-4,
    head: "NormHead",
    numClasses: 3,
    margin: 0.5,
    scale: 64,
    seed: 1,
    momentum: 0.9,
    nesterov: true,
    decayAll: 0,
  });
  const model = replica.model;
  const images = tf.randomUniform([4, 32, 32, 3], 0, 1, "float32", 2);
  await trainStep([new LocalReplica(replica)], {
    images: await images.data() as Float32Array,
    labels: Int32Array.of(0, 1, 2, 0),
  }, { lr: 0.01, microBatch: 4, gradClipNorm: null });
  images.dispose();

  const root = await Deno.makeTempDir();
  const dir = join(root, "export");
  const before = tf.memory().numTensors;
  const metadata = { inputScale: "0-1", channelOrder: "RGB", embeddingSize: 16, step: 1 };
  const path = await exportLayersModel(model, dir, { metadata });
  assertEquals(tf.memory().numTensors, before, "export leaked tensors");
  assertEquals(path, join(dir, "model.json"));
  assertEquals([...Deno.readDirSync(root)].map((e) => e.name), ["export"]);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["model.json", "weights.bin"]);

  const { json, artifacts } = await readLocalModel(path);
  assertEquals(json.format, "layers-model");
  assertEquals(json.userDefinedMetadata, metadata);
  assertEquals(json.trainingConfig, undefined);
  const manifest = json.weightsManifest as tf.io.WeightsManifestConfig;
  assertEquals(manifest.length, 1);
  assertEquals(manifest[0].paths, ["weights.bin"]);
  assertEquals(manifest[0].weights.length, model.weights.length);
  const unknown = [...layerClasses(json.modelTopology)].filter((c) => !KERAS_CLASSES.has(c));
  assertEquals(unknown, [], "non-Keras layer classes in model.json");

  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  const x = tf.randomUniform([3, 32, 32, 3], 0, 1, "float32", 9);
  const want = model.predict(x) as tf.Tensor;
  const got = loaded.predict(x) as tf.Tensor;
  assertEquals(got.shape, [3, 16]);
  const diff = await maxAbsDiff(got, want);
  assert(diff < 1e-6, `predictions differ by ${diff}`);
  tf.dispose([x, want, got]);
  loaded.dispose();

  const embedder = await loadEmbedder(path);
  assertEquals([embedder.inputSize, embedder.embeddingSize], [32, 16]);
  embedder.dispose();
  replica.dispose();
  await Deno.remove(root, { recursive: true });
});

Deno.test("re-exporting replaces an earlier export; other folders are refused", async () => {
  const small = (embdShape: number) =>
    buildEmbeddingModel({
      backbone: "MobileNetV2",
      inputSize: 32,
      embdShape,
      width: 0.35,
      seed: 3,
    });
  const root = await Deno.makeTempDir();
  const dir = join(root, "out");
  const first = small(8);
  const second = small(12);
  await exportLayersModel(first, dir, { metadata: { step: 1 } });
  const path = await exportLayersModel(second, dir, { metadata: { step: 2 } });
  assertEquals([...Deno.readDirSync(root)].map((e) => e.name), ["out"]);
  const { json } = await readLocalModel(path);
  assertEquals(json.userDefinedMetadata, { step: 2 });
  const embedder = await loadEmbedder(path);
  assertEquals(embedder.embeddingSize, 12);
  embedder.dispose();

  const other = join(root, "notes");
  await Deno.mkdir(other);
  await Deno.writeTextFile(join(other, "todo.txt"), "keep me");
  const err = await assertRejects(() => exportLayersModel(first, other), ExportError);
  assert(err.message.includes(other) && err.message.includes("no model.json"), err.message);
  assertEquals(await Deno.readTextFile(join(other, "todo.txt")), "keep me");
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  await assertRejects(() => exportLayersModel(first, dir, { metadata: cyclic }), ExportError);
  assertEquals((await readLocalModel(path)).json.userDefinedMetadata, { step: 2 });

  // A save that fails after the temp folder exists leaves the earlier export and no temp folder.
  const failing = {
    save: async (handler: tf.io.IOHandler) => {
      await handler.save!({ modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) });
      throw new Error("ENOSPC: no space left on device (simulated)");
    },
  } as unknown as tfl.LayersModel;
  const failErr = await assertRejects(() => exportLayersModel(failing, dir), ExportError);
  assert(failErr.message.includes("ENOSPC") && failErr.message.includes(dir), failErr.message);
  assertEquals([...Deno.readDirSync(root)].map((e) => e.name).sort(), ["notes", "out"]);
  assertEquals((await readLocalModel(path)).json.userDefinedMetadata, { step: 2 });
  first.dispose();
  second.dispose();
  await Deno.remove(root, { recursive: true });
});
