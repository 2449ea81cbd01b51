/**
 * Child process of the benchmarks, one measurement per process:
 * - `bench_child_main.ts train NETWORK BATCH CLASSES`: two training steps (the max-batch probe);
 * - `bench_child_main.ts measure JSON`: a {@linkcode ChildMeasure} (the bench's native rows, one
 *   process per thread count with `OMP_NUM_THREADS` set by the parent; parallel inference).
 * The backend is `ARCFACE_BACKEND` (default auto; `native` included). Prints one JSON line
 * (`{"ok":true,...}`) on success; any failure, e.g. the wasm heap's 4 GiB cap, exits non-zero.
 *
 * @module
 */
import type { BackboneName } from "../models/mod.ts";
import { setupBackend } from "../backend/mod.ts";
import type { ChildMeasure } from "./bench_child.ts";
import { measureInference, measureTraining, type ThroughputResult } from "./throughput.ts";

async function measure(m: ChildMeasure): Promise<ThroughputResult[]> {
  const c = m.case, rows: ThroughputResult[] = [];
  const timing = { seconds: m.seconds, minSteps: m.minSteps, warmup: m.warmup };
  if (m.modes.includes("train")) {
    rows.push(
      await measureTraining(c.network, {
        ...timing,
        batch: c.batch,
        microBatch: c.microBatch,
        spec: c.spec,
      }),
    );
  }
  if (m.modes.includes("infer")) {
    rows.push(
      await measureInference(c.network, {
        ...timing,
        seconds: m.inferSeconds ?? m.seconds,
        batch: c.batch,
        width: c.spec.width,
        embdShape: c.spec.embdShape,
      }),
    );
  }
  return rows;
}

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
  } else if (mode === "measure") {
    const rows = await measure(JSON.parse(network) as ChildMeasure);
    console.log(JSON.stringify({ ok: true, rows }));
  } else {
    throw new Error(`unknown mode '${mode}' (train or measure)`);
  }
}
