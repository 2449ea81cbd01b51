/**
 * What a training step costs on webgpu beyond its kernels: read-backs, synchronous reads,
 * uploads (counted by wrapping the backend's `read` / `readSync` / `write`) and the slowest
 * kernels (tf.profile). The numbers in README.md's "The webgpu route" came from
 * `./deno run -A tests/support/webgpu_step_cost.ts 32 8 MobileFaceNet` on llvmpipe (software
 * adapter, opted in): prints one JSON line and one line of kernel times.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { setupBackend } from "../../lib/backend/mod.ts";
import { parseBackboneName } from "../../lib/models/mod.ts";
import { createReplicas } from "../../lib/train/replica_pool.ts";
import { trainStep } from "../../lib/train/train_step.ts";

type Fn = (...args: unknown[]) => unknown;

if (import.meta.main) {
  const [size, n] = [Number(Deno.args[0] ?? 32), Number(Deno.args[1] ?? 8)];
  const backbone = parseBackboneName(Deno.args[2] ?? "MobileFaceNet");
  await setupBackend("cpu", { env: {} });
  await setupBackend("webgpu", { env: {}, allowSoftwareAdapter: true });
  const be = tf.backend() as unknown as Record<string, Fn>;
  const counts = { read: 0, readSync: 0, write: 0, scalarWrites: 0, readMs: 0 };
  const read = be.read.bind(be), readSync = be.readSync.bind(be), write = be.write.bind(be);
  be.read = async (...a) => {
    counts.read++;
    const t = performance.now();
    const r = await read(...a);
    counts.readMs += performance.now() - t;
    return r;
  };
  be.readSync = (...a) => (counts.readSync++, readSync(...a));
  be.write = (...a) => {
    counts.write++;
    if ((a[1] as number[]).reduce((x, y) => x * y, 1) <= 1) counts.scalarWrites++;
    return write(...a);
  };
  const [h] = await createReplicas({
    backbone,
    inputSize: size,
    embdShape: 128,
    width: 1,
    dropout: 0,
    modelWDecay: 5e-4,
    head: "ArcHead",
    numClasses: 100,
    margin: 0.5,
    scale: 64,
    seed: 3,
    momentum: 0.9,
    nesterov: true,
    decayAll: 0,
  });
  const batch = {
    images: Float32Array.from({ length: n * size * size * 3 }, (_, i) => (i * 7919 % 255) / 255),
    labels: Int32Array.from({ length: n }, (_, i) => i % 100),
  };
  const options = { lr: 0.01, microBatch: n, gradClipNorm: 5 };
  await trainStep([h], batch, options); // warm-up: shaders compiled, momentum slots made
  for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] = 0;
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await trainStep([h], batch, options);
    return [];
  });
  const ms = performance.now() - t0;
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  const adapter = (await navigator.gpu.requestAdapter())?.info.description ?? "unknown";
  console.log(JSON.stringify({
    adapter,
    backbone,
    size,
    batch: n,
    stepMs: Math.round(ms),
    imgPerS: +(n / ms * 1000).toFixed(2),
    ...counts,
    readMs: Math.round(counts.readMs),
  }));
  console.log(
    [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)
      .map(([k, v]) => `${k} x${v.calls} ${v.ms.toFixed(0)} ms`).join("; "),
  );
  await h.close();
}
