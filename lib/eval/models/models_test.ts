import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import sharp from "sharp";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
} from "../../../tests/support/assert.ts";
import { setupBackend } from "../../backend/mod.ts";
import { buildEmbeddingModel } from "../../models/mod.ts";
import {
  dlibRecrop,
  type FaceEmbedder,
  loadEmbedder,
  loadFaceApiEmbedder,
  loadGraphEmbedder,
  loadLayersEmbedder,
  ModelLoadError,
} from "./mod.ts";

await setupBackend("wasm");

const LFW = "/work/shared/data/lfw_112x112/images";
const COLLAPSED = "/work/shared/models/collapsed_mobilefacenet/mobilefacenet.json";
const haveLfw = await Deno.stat(LFW).then(() => true, () => false);
const haveCollapsed = await Deno.stat(COLLAPSED).then(() => true, () => false);

async function readRgb(path: string): Promise<Uint8Array> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({
    resolveWithObject: true,
  });
  assertEquals([info.width, info.height, info.channels], [112, 112, 3]);
  return new Uint8Array(data);
}

function embedAll(e: FaceEmbedder, crops: Uint8Array[]): number[][] {
  const s = e.inputSize;
  const flat = new Float32Array(crops.length * s * s * 3);
  crops.forEach((c, i) => flat.set(e.preprocess(c), i * s * s * 3));
  return tf.tidy(() => {
    const y = e.embed(tf.tensor4d(flat, [crops.length, s, s, 3]));
    return y.arraySync() as number[][];
  });
}

async function rejectsWith(fn: () => Promise<unknown>, text: string): Promise<void> {
  const err = await assertRejects(fn, ModelLoadError);
  assert(err.message.includes(text), `'${err.message}' lacks '${text}'`);
}

function sqDist(a: number[], b: number[]): number {
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  return a.reduce((s, v, k) => s + (v / na - b[k] / nb) ** 2, 0);
}

Deno.test("dlibRecrop: box geometry and mirror fill below the crop", () => {
  // value = row index: the chip's first row samples y = 20.048 + 0.5*0.68992 - 0.5 = 19.89296;
  // its last row y = 122.69104, mirrored (no edge repeat) 122 -> 100, 123 -> 99: 99.30896.
  const rows = new Uint8Array(112 * 112 * 3), cols = new Uint8Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++) {
    for (let x = 0; x < 112; x++) {
      for (let c = 0; c < 3; c++) {
        rows[(y * 112 + x) * 3 + c] = y;
        cols[(y * 112 + x) * 3 + c] = x;
      }
    }
  }
  const r = dlibRecrop(rows), c = dlibRecrop(cols);
  assertEquals(r.length, 150 * 150 * 3);
  assertAlmostEquals(r[0], 19.89296, 1e-4);
  assertAlmostEquals(r[(149 * 150 + 75) * 3 + 1], 99.30896, 1e-4);
  // Column 0: x = 4.928 + 0.34496 - 0.5 = 4.77296; column 149: x = 107.57104.
  assertAlmostEquals(c[(10 * 150) * 3 + 2], 4.77296, 1e-4);
  assertAlmostEquals(c[(10 * 150 + 149) * 3], 107.57104, 1e-4);
});

Deno.test({
  name: "face-api embedder: matches face-api's own output; same person closer than others",
  ignore: !haveLfw,
  fn: async () => {
    const e = await loadEmbedder("face-api");
    try {
      assertEquals([e.name, e.inputSize, e.embeddingSize, e.channelOrder], [
        "face-api",
        150,
        128,
        "RGB",
      ]);
      const files = [
        "George_W_Bush/George_W_Bush_0001.jpg",
        "George_W_Bush/George_W_Bush_0002.jpg",
        "Colin_Powell/Colin_Powell_0001.jpg",
        "Colin_Powell/Colin_Powell_0002.jpg",
        "Tony_Blair/Tony_Blair_0001.jpg",
        "Tony_Blair/Tony_Blair_0002.jpg",
      ];
      const crops = await Promise.all(files.map((f) => readRgb(`${LFW}/${f}`)));
      const before = tf.memory().numTensors;
      const emb = embedAll(e, crops);
      assertEquals(tf.memory().numTensors, before);
      for (const v of emb) {
        assertEquals(v.length, 128);
        assert(v.every(Number.isFinite));
      }
      // Reference: @vladmandic/face-api 1.7.15 faceRecognitionNet.computeFaceDescriptor (its
      // node-wasm CJS build) on the same 150x150 re-crop of George_W_Bush_0001.
      const ref = [
        -0.0699116662144661,
        0.16060125827789307,
        0.004428046755492687,
        -0.037179961800575256,
        -0.15360143780708313,
        0.07816340774297714,
        -0.023856990039348602,
        -0.08513485640287399,
      ];
      ref.forEach((v, i) => assertAlmostEquals(emb[0][i], v, 1e-5));
      for (const [a, b] of [[0, 1], [2, 3], [4, 5]]) {
        const same = sqDist(emb[a], emb[b]);
        for (let k = 0; k < emb.length; k++) {
          if (k === a || k === b) continue;
          assert(same < sqDist(emb[a], emb[k]), `${files[a]} vs ${files[b]} / ${files[k]}`);
        }
      }
    } finally {
      e.dispose();
    }
  },
});

Deno.test("layers embedder: a saved MobileFaceNet loads back with the same outputs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const model = buildEmbeddingModel({
      backbone: "MobileFaceNet",
      width: 0.25,
      embdShape: 64,
      seed: 1,
    });
    await model.save(tf.io.withSaveHandler(async (a) => {
      const data = a.weightData instanceof ArrayBuffer
        ? a.weightData
        : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[]);
      await Deno.writeFile(`${dir}/weights.bin`, new Uint8Array(data));
      await Deno.writeTextFile(
        `${dir}/model.json`,
        JSON.stringify({
          modelTopology: a.modelTopology,
          format: "layers-model",
          weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }));
    const crop = new Uint8Array(112 * 112 * 3).map((_, i) => (i * 37) % 256);
    const x = tf.tensor4d(Float32Array.from(crop, (v) => v / 255), [1, 112, 112, 3]);
    const want = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    for (
      const e of [
        await loadLayersEmbedder(`${dir}/model.json`),
        await loadEmbedder(`${dir}/model.json`),
      ]
    ) {
      try {
        assertEquals([e.inputSize, e.embeddingSize], [112, 64]);
        const got = embedAll(e, [crop]);
        want[0].forEach((v, i) => assertAlmostEquals(got[0][i], v, 1e-4));
      } finally {
        e.dispose();
      }
    }
    tf.dispose([x]);
    model.dispose();

    // A model whose output is not [N, D]: the error names both shapes.
    const inp = tfl.input({ shape: [112, 112, 3] });
    const bad = tfl.model({
      inputs: inp,
      outputs: tfl.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(inp) as tfl.SymbolicTensor,
    });
    await bad.save(tf.io.withSaveHandler(async (a) => {
      await Deno.writeFile(`${dir}/bad.bin`, new Uint8Array(a.weightData as ArrayBuffer));
      await Deno.writeTextFile(
        `${dir}/bad.json`,
        JSON.stringify({
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ["bad.bin"], weights: a.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }));
    bad.dispose();
    const err = await assertRejects(() => loadEmbedder(`${dir}/bad.json`), ModelLoadError);
    assert(err.message.includes("[2, 110, 110, 2]") && err.message.includes("[N, D]"), err.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "graph embedder: the collapsed MobileFaceNet gives [N, 192]",
  ignore: !haveCollapsed,
  fn: async () => {
    for (
      const e of [
        await loadGraphEmbedder(COLLAPSED, { inputScale: "0-255" }),
        await loadEmbedder(COLLAPSED),
      ]
    ) {
      try {
        assertEquals([e.inputSize, e.embeddingSize], [112, 192]);
        const crop = new Uint8Array(112 * 112 * 3).map((_, i) => (i * 7) % 256);
        const y = embedAll(e, [crop, crop, crop]);
        assertEquals([y.length, y[0].length], [3, 192]);
        assert(y.flat().every(Number.isFinite));
      } finally {
        e.dispose();
      }
    }
  },
});

Deno.test("loadEmbedder: clear ModelLoadErrors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rejectsWith(() => loadEmbedder(`${dir}/missing.json`), "not found");
    await rejectsWith(() => loadEmbedder("no-such-model"), "Unknown model");
    await Deno.writeTextFile(`${dir}/a.json`, "{not json");
    await rejectsWith(() => loadEmbedder(`${dir}/a.json`), "not valid JSON");
    await Deno.writeTextFile(`${dir}/b.json`, JSON.stringify({ hello: 1 }));
    await rejectsWith(() => loadEmbedder(`${dir}/b.json`), "modelTopology");
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({
        format: "layers-model",
        modelTopology: {},
        weightsManifest: [{ paths: ["gone.bin"], weights: [] }],
      }),
    );
    await rejectsWith(() => loadEmbedder(`${dir}/c.json`), "gone.bin");
    await rejectsWith(() => loadFaceApiEmbedder({ modelDir: dir }), "face-api weights manifest");
    await rejectsWith(() => loadEmbedder(COLLAPSED, { inputScale: "0-2" as never }), "inputScale");
    // A truncated weights file: which file, and expected vs actual bytes.
    await Deno.writeTextFile(
      `${dir}/d.json`,
      JSON.stringify({
        format: "graph-model",
        modelTopology: { node: [] },
        weightsManifest: [{
          paths: ["d.bin"],
          weights: [{ name: "w", shape: [3, 3, 3, 16], dtype: "float32" }],
        }],
      }),
    );
    await Deno.writeFile(`${dir}/d.bin`, new Uint8Array(1000));
    const err = await assertRejects(() => loadEmbedder(`${dir}/d.json`), ModelLoadError);
    for (const text of [`${dir}/d.bin`, "truncated", "1728", "1000"]) {
      assert(err.message.includes(text), `'${err.message}' lacks '${text}'`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
