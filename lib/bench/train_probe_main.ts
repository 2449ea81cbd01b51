/**
 * Child process of {@linkcode probeMaxBatch}: `train_probe_main.ts NETWORK BATCH CLASSES`.
 * Prints `{"ok":true}` after two training steps; any failure (e.g. the wasm heap's 4 GiB cap)
 * exits non-zero.
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import type { BackboneName } from "../models/mod.ts";
import { measureTraining } from "./throughput.ts";

if (import.meta.main) {
  const [network, batch, classes] = Deno.args;
  await setupBackend();
  const r = await measureTraining(network as BackboneName, {
    batch: Number(batch),
    numClasses: Number(classes),
    seconds: 0,
    minSteps: 1,
    warmup: 1,
  });
  console.log(JSON.stringify({ ok: true, peakTensorBytes: r.peakTensorBytes }));
}
