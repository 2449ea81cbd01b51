/**
 * Child process of the benchmarks, one measurement per process:
 * - `bench_child_main.ts train NETWORK BATCH CLASSES`: two training steps (the max-batch probe);
 * - `bench_child_main.ts infer NETWORK BATCH SECONDS`: inference for SECONDS (parallel replicas).
 * Prints one JSON line (`{"ok":true,...}`) on success; any failure, e.g. the wasm heap's 4 GiB
 * cap, exits non-zero.
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import type { BackboneName } from "../models/mod.ts";
import { measureInference, measureTraining } from "./throughput.ts";

if (import.meta.main) {
  const [mode, network, batch, extra] = Deno.args;
  await setupBackend();
  if (mode === "train") {
    const r = await measureTraining(network as BackboneName, {
      batch: Number(batch),
      numClasses: Number(extra),
      seconds: 0,
      minSteps: 1,
      warmup: 1,
    });
    console.log(JSON.stringify({ ok: true, peakTensorBytes: r.peakTensorBytes }));
  } else if (mode === "infer") {
    const r = await measureInference(network as BackboneName, {
      batch: Number(batch),
      seconds: Number(extra),
    });
    console.log(JSON.stringify({ ok: true, ...r }));
  } else {
    throw new Error(`unknown mode '${mode}' (train or infer)`);
  }
}
