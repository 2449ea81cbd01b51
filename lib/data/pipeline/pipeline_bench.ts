/**
 * Throughput of the training input pipeline (images/s through decode + full arcface-tf2
 * augmentation + batching, consumer doing nothing) with 1 and 2 workers, on LFW 112x112 JPEGs.
 * Writes a temporary TFRecord of `--images` LFW images (default 3000), removed at the end.
 *
 *     ./deno run -A lib/data/pipeline/pipeline_bench.ts [--images 3000] [--batches 40]
 *
 * Prints one JSON line per configuration.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { lfwImages, writeShards } from "../../../tests/support/pipeline_data.ts";
import { createTrainPipeline } from "./train_pipeline.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    images: { type: "string", default: "3000" },
    batches: { type: "string", default: "40" },
  },
});
const count = Number(values.images), batches = Number(values.batches), batchSize = 128;
const dir = await Deno.makeTempDir({ prefix: "pipeline_bench_" });
try {
  const images = await lfwImages(count);
  const shards = await writeShards(dir, images, { shards: 4 });
  for (const augment of [{}, false] as const) {
    for (const workers of [1, 2]) {
      const p = await createTrainPipeline(shards, { batchSize, workers, seed: 1, augment });
      const it = p[Symbol.asyncIterator]();
      await it.next(); // warm-up: worker start, shuffle buffer fill
      await it.next();
      const t0 = performance.now();
      for (let i = 0; i < batches; i++) await it.next();
      const s = (performance.now() - t0) / 1000;
      await p.close();
      console.log(JSON.stringify({
        bench: "pipeline",
        augment: augment === false ? "off" : "full",
        workers,
        batchSize,
        images: batches * batchSize,
        seconds: +s.toFixed(2),
        imagesPerSecond: Math.round((batches * batchSize) / s),
      }));
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
