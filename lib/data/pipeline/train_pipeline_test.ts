import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import sharp from "sharp";
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { encodeArcfaceExample, openTFRecordWriter } from "../tfrecord/mod.ts";
import { LabelRangeError, RecordDecodeError, ShardNotFoundError } from "./errors.ts";
import type { PipelineOptions } from "./options.ts";
import { lfwImages, type TestImage, writeShards } from "../../../tests/support/pipeline_data.ts";
import { requireLfwImagesDir } from "../../../tests/support/shared_data.ts";
import { batchToTensors } from "./to_tensors.ts";
import { type Batch, createTrainPipeline } from "./train_pipeline.ts";
import { WorkerPool } from "./worker_pool.ts";

const N = 30;
const PX = 112 * 112 * 3;
const images = await lfwImages(N);
const dir = await Deno.makeTempDir({ prefix: "pipeline_test_" });
const shards = await writeShards(dir, images, { shards: 3 });
const pattern = join(dir, "train-*-of-*.tfrecord");
// One pool for most tests: under `deno test` every worker start re-runs the type checker (~1 s).
// The shutdown test starts (and must stop) its own workers.
const pool = new WorkerPool({ workers: 2 });
globalThis.addEventListener("unload", () => {
  pool.close();
  Deno.removeSync(dir, { recursive: true });
});

async function collect(source: string | string[], options: PipelineOptions): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of await createTrainPipeline(source, { pool, ...options })) out.push(b);
  return out;
}

/** Reference decode: sharp, raw RGB, /255. */
async function reference(img: TestImage): Promise<Float32Array> {
  const raw = await sharp(await Deno.readFile(img.path)).removeAlpha().raw().toBuffer();
  return Float32Array.from(raw, (v) => v / 255);
}

/** Which test image each example of the batches is (by exact pixels), in order. */
async function identify(batches: Batch[]): Promise<number[]> {
  const refs = await Promise.all(images.map(reference));
  const out: number[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.shape[0]; i++) {
      const px = b.images.subarray(i * PX, (i + 1) * PX);
      const k = refs.findIndex((r) => r.every((v, j) => v === px[j]));
      assert(k >= 0, `example ${i} matches no source image`);
      assertEquals(b.labels[i], images[k].label, "label of " + images[k].filename);
      out.push(k);
    }
  }
  return out;
}

Deno.test("one epoch, augmentation off: every image exactly once, right label, exact pixels", async () => {
  const batches = await collect(pattern, { batchSize: 8, epochs: 1, seed: 1, augment: false });
  assertEquals(batches.map((b) => b.shape[0]), [8, 8, 8, 6]);
  const seen = await identify(batches);
  assertEquals([...seen].sort((a, b) => a - b), [...Array(N).keys()]);
  assert(seen.some((k, i) => k !== i), "shuffled");
  assertEquals(batches.at(-1)!.state, { seed: 1, epoch: 0, recordIndex: N });
});

Deno.test("path schema: image/img_path read at run time gives the same images", async () => {
  const pdir = await Deno.makeTempDir({ prefix: "pipeline_path_" });
  try {
    const rel = images.slice(0, 10).map((im) => ({ ...im, path: im.filename }));
    const [file] = await writeShards(pdir, rel, { schema: "path" });
    const batches = await collect(file, {
      batchSize: 10,
      epochs: 1,
      augment: false,
      shuffleBuffer: 0,
      imageRoot: requireLfwImagesDir(),
    });
    assertEquals(await identify(batches), [...Array(10).keys()]);
  } finally {
    await Deno.remove(pdir, { recursive: true });
  }
});

Deno.test("full augmentation: shapes, dtypes, values in [0, 1]; dropRemainder", async () => {
  const batches = await collect(shards, { batchSize: 8, epochs: 1, seed: 3, dropRemainder: true });
  assertEquals(batches.length, 3);
  for (const b of batches) {
    assertEquals(b.shape, [8, 112, 112, 3]);
    assertEquals(b.images.length, 8 * PX);
    assert(b.labels instanceof Int32Array && b.labels.length === 8);
    let lo = Infinity, hi = -Infinity;
    for (const v of b.images) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    assert(lo >= 0 && hi <= 1 && hi - lo > 0.5, `range [${lo}, ${hi}]`);
  }
});

Deno.test("deterministic: same seed -> same batches with 1 or 2 workers; other seed differs", async () => {
  const opts = { batchSize: 8, epochs: 1, shuffleBuffer: 16 };
  const a = await collect(pattern, { ...opts, seed: 42, pool: undefined, workers: 1 });
  const b = await collect(pattern, { ...opts, seed: 42, prefetchBatches: 1 }); // 2 workers
  const c = await collect(pattern, { ...opts, seed: 43 });
  assertEquals(a.length, b.length);
  a.forEach((x, i) => {
    assertEquals(x.labels, b[i].labels);
    assert(x.images.every((v, j) => v === b[i].images[j]), `batch ${i} pixels differ`);
  });
  assert(
    a.some((x, i) => x.labels.some((l, j) => l !== c[i].labels[j])) ||
      a[0].images.some((v, j) => v !== c[0].images[j]),
    "another seed gives other batches",
  );
});

Deno.test("epochs repeat: each epoch holds every image once, in a different order", async () => {
  const batches = await collect(pattern, { batchSize: 10, epochs: 2, seed: 5, augment: false });
  const seen = await identify(batches);
  assertEquals(seen.length, 2 * N);
  const [e0, e1] = [seen.slice(0, N), seen.slice(N)];
  assertEquals([...e0].sort((a, b) => a - b), [...Array(N).keys()]);
  assertEquals([...e1].sort((a, b) => a - b), [...Array(N).keys()]);
  assert(e0.some((k, i) => k !== e1[i]), "epochs are shuffled differently");
  assertEquals(batches.map((b) => b.state.epoch), [0, 0, 0, 1, 1, 1]);
});

Deno.test("resume from a saved state yields exactly the remaining batches", async () => {
  const opts = { batchSize: 7, epochs: 3, seed: 11, shuffleBuffer: 12 };
  const full = await collect(pattern, opts); // 90 examples: 12 full batches + 6
  assertEquals(full.length, 13);
  for (const cut of [2, 4, 9]) { // states: epoch 0 #21; epoch 1 #5 (batch 4 straddles the boundary); epoch 2 #10
    const rest = await collect(pattern, { ...opts, seed: undefined, startFrom: full[cut].state });
    assertEquals(rest.length, full.length - cut - 1, `resume after batch ${cut}`);
    rest.forEach((b, i) => {
      const f = full[cut + 1 + i];
      assertEquals(b.labels, f.labels);
      assertEquals(b.state, f.state);
      assert(b.images.every((v, j) => v === f.images[j]), `batch ${cut + 1 + i} pixels`);
    });
  }
});

Deno.test("infinite run: breaking out of the loop terminates the workers (sanitizers on)", async () => {
  const p = await createTrainPipeline(pattern, { batchSize: 4, seed: 1, workers: 2 });
  let n = 0;
  for await (const b of p) {
    assertEquals(b.shape[0], 4);
    if (++n === 20) break; // 80 examples: more than two epochs
  }
  assertEquals(p.state.epoch, 2);
  assertEquals((await p.next()).done, true);
  // close() without iterating also cleans up.
  await (await createTrainPipeline(pattern, { batchSize: 4 })).close();
  // A pool passed in stays open when the pipeline closes.
  const own = new WorkerPool();
  await (await createTrainPipeline(pattern, { batchSize: 4, pool: own })).close();
  assert(!own.closed);
  own.close();
});

Deno.test("batchToTensors: [B,112,112,3] float32 and [B] int32", async () => {
  await tf.setBackend("cpu");
  const [b] = await collect(pattern, {
    batchSize: 4,
    epochs: 1,
    dropRemainder: true,
    augment: false,
  });
  const t = batchToTensors(b);
  assertEquals([t.images.shape, t.images.dtype, t.labels.shape, t.labels.dtype], [
    [4, 112, 112, 3],
    "float32",
    [4],
    "int32",
  ]);
  assertEquals(Array.from(await t.labels.data()), Array.from(b.labels));
  tf.dispose([t.images, t.labels]);
});

Deno.test("errors: missing shard, empty pattern, undecodable record, label out of range", async () => {
  const e1 = await assertRejects(
    () => createTrainPipeline(join(dir, "nope.tfrecord")),
    ShardNotFoundError,
  );
  assert(e1.message.includes("nope.tfrecord"));
  await assertRejects(() => createTrainPipeline(join(dir, "val-*.tfrecord")), ShardNotFoundError);

  const bad = join(dir, "bad.tfrecord");
  const w = await openTFRecordWriter(bad);
  const jpeg = await Deno.readFile(images[0].path);
  await w.write(encodeArcfaceExample({ label: 0, filename: "a/ok.jpg", encoded: jpeg }));
  await w.write(
    encodeArcfaceExample({ label: 1, filename: "b/bad.jpg", encoded: jpeg.subarray(0, 100) }),
  );
  await w.write(new Uint8Array([1, 2, 3])); // not an Example
  await w.close();
  const e2 = await assertRejects(
    () => collect(bad, { batchSize: 3, epochs: 1, shuffleBuffer: 0 }),
    RecordDecodeError,
  );
  assertEquals([e2.file, e2.recordIndex], [bad, 1]);
  assert(e2.message.includes("b/bad.jpg") && e2.message.includes("re-convert"), e2.message);

  const e3 = await assertRejects(
    () => collect(pattern, { batchSize: 8, epochs: 1, numClasses: 5, augment: false }),
    LabelRangeError,
  );
  assert(e3.label >= 5 && e3.message.includes(e3.file) && e3.message.includes("num_classes"));
  await Deno.remove(bad);
});
