import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import {
  BACKBONE_NAMES,
  buildEmbeddingModel,
  ModelConfigError,
  parseBackboneName,
  regularizationLoss,
} from "./mod.ts";

Deno.test("an unknown backbone is a ModelConfigError that lists the valid names", () => {
  const e = assertThrows(() => buildEmbeddingModel({ backbone: "ResNet101" }), ModelConfigError);
  assert(e.message.includes("'ResNet101'"), e.message);
  assert(e.message.includes("ResNet50, MobileNetV2, MobileFaceNet"), e.message);
  assertThrows(() => parseBackboneName("resnet50"), ModelConfigError); // names are case-sensitive
  assertEquals([...BACKBONE_NAMES], ["ResNet50", "MobileNetV2", "MobileFaceNet"]);
  assertThrows(
    () => buildEmbeddingModel({ backbone: "MobileFaceNet", embdShape: 0 }),
    ModelConfigError,
  );
  assertThrows(() => buildEmbeddingModel({ backbone: "ResNet50", dropout: 1 }), ModelConfigError);
  assertThrows(
    () => buildEmbeddingModel({ backbone: "ResNet50", inputSize: 111.5 }),
    ModelConfigError,
  );
});

Deno.test("ResNet50 + E output layer: [B, 512] embeddings, nested like arcface-tf2", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const model = buildEmbeddingModel({ backbone: "ResNet50", seed: 1 });
  try {
    assertEquals(model.layers.map((l) => l.name), ["input_image", "resnet50", "OutputLayer"]);
    // backbone + BN(2048) + Dense(4*4*2048 -> 512) + BN(512)
    assertEquals(model.countParams(), 23_587_712 + 4 * 2048 + (32768 * 512 + 512) + 4 * 512);
    const y = tf.tidy(() =>
      model.predict(tf.randomUniform([2, 112, 112, 3], 0, 1, "float32", 1)) as tf.Tensor
    );
    assertEquals(y.shape, [2, 512]);
    assert((await y.data()).every(Number.isFinite));
    y.dispose();
  } finally {
    model.dispose();
  }
});

Deno.test("MobileNetV2 + E output layer and MobileFaceNet: embedding shapes", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const mbv2 = buildEmbeddingModel({ backbone: "MobileNetV2", embdShape: 256, seed: 2 });
  const mfn = buildEmbeddingModel({ backbone: "MobileFaceNet", embdShape: 128, seed: 2 });
  try {
    assertEquals(mbv2.layers.map((l) => l.name), [
      "input_image",
      "mobilenetv2_1.00_112",
      "OutputLayer",
    ]);
    assertEquals(mbv2.countParams(), 2_257_984 + 4 * 1280 + (20480 * 256 + 256) + 4 * 256);
    assertEquals(mfn.layers.map((l) => l.name), ["input_image", "mobilefacenet"]);
    const x = tf.randomUniform([3, 112, 112, 3], 0, 1, "float32", 5);
    const [a, b] = [mbv2.predict(x) as tf.Tensor, mfn.predict(x) as tf.Tensor];
    assertEquals([a.shape, b.shape], [[3, 256], [3, 128]]);
    tf.dispose([x, a, b]);
  } finally {
    mbv2.dispose();
    mfn.dispose();
  }
});

Deno.test("the same seed gives the same weights; another seed does not", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const opts = { backbone: "MobileFaceNet", width: 0.5, embdShape: 32 } as const;
  const [a, b, c] = [1, 1, 2].map((seed) => buildEmbeddingModel({ ...opts, seed }));
  try {
    const [wa, wb, wc] = [a, b, c].map((m) => m.getWeights());
    assertEquals(wa.length, wb.length);
    for (let i = 0; i < wa.length; i++) {
      assertEquals(Array.from(wa[i].dataSync()), Array.from(wb[i].dataSync()), `weight ${i}`);
    }
    const first = (ws: tf.Tensor[]) => Array.from(ws[0].dataSync());
    assert(JSON.stringify(first(wa)) !== JSON.stringify(first(wc)), "seed 2 differs");
    // Two layers of the same shape do not share one random stream.
    const k1 = a.getLayer("mobilefacenet") as unknown as {
      getLayer(n: string): { getWeights(): tf.Tensor[] };
    };
    const s = (n: string) => Array.from(k1.getLayer(n).getWeights()[0].dataSync());
    assert(JSON.stringify(s("stage3_block1_expand")) !== JSON.stringify(s("stage3_block2_expand")));
  } finally {
    [a, b, c].forEach((m) => m.dispose());
  }
});

Deno.test("nested sub-models see training: BN statistics move, dropout is on; L2 term is collected", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const model = buildEmbeddingModel({
    backbone: "MobileNetV2",
    width: 0.35,
    inputSize: 64,
    seed: 4,
  });
  try {
    const out = model.getLayer("OutputLayer") as unknown as tfl.LayersModel;
    const movingMean = () => Array.from(out.getLayer("embedding").getWeights()[2].dataSync());
    const before = movingMean();
    const x = tf.randomUniform([4, 64, 64, 3], 0, 1, "float32", 8);
    const inference = model.apply(x) as tf.Tensor;
    assertEquals(movingMean(), before, "inference leaves BN statistics alone");
    const [a, b] = [0, 1].map(() => model.apply(x, { training: true }) as tf.Tensor);
    assert(
      JSON.stringify(movingMean()) !== JSON.stringify(before),
      "training updates BN statistics",
    );
    const diff = tf.max(tf.abs(tf.sub(a, b)));
    assert((await diff.data())[0] > 0, "dropout masks differ between training calls");

    const kernel = out.getLayer("dense").getWeights()[0];
    const sq = tf.sum(tf.square(kernel));
    const reg = regularizationLoss(model);
    const expected = 5e-4 * (await sq.data())[0]; // float32 sums of 10M squares: compare to 1e-3
    assertAlmostEquals((await reg.data())[0], expected, 1e-3 * expected);
    tf.dispose([x, inference, a, b, diff, sq, reg]);
  } finally {
    model.dispose();
  }
});
