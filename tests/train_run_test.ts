/**
 * The trainer end to end on a tiny synthetic set (in this process): metrics, checkpoints,
 * export, bad input (missing data, too few classes, a checkpoint from another config) and the
 * NaN guard.
 */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { loadEmbedder } from "../lib/eval/mod.ts";
import {
  CheckpointMismatchError,
  listCheckpoints,
  readCheckpoint,
  readMetrics,
  TrainDataError,
  type TrainEvent,
  TrainingDivergedError,
  trainModel,
} from "../lib/train/mod.ts";
import { makeTinyDataset, tinyConfig } from "./support/train_fixture.ts";

const dir = await Deno.makeTempDir({ prefix: "train_run_" });
const dataset = await makeTinyDataset(dir);

Deno.test("a tiny run trains, logs every step, checkpoints, exports a loadable model", async () => {
  const events: TrainEvent["type"][] = [];
  const config = parseConfig(tinyConfig(dir, dataset, { sub_name: "ok" }));
  const r = await trainModel(config, { onEvent: (e) => events.push(e.type) });
  assertEquals(r.step, 6);
  assertEquals(r.reason, "max_steps");
  const steps = (await readMetrics(r.metricsPath)).filter((m) => m.type === "step");
  assertEquals(steps.map((m) => m.step), [1, 2, 3, 4, 5, 6]);
  for (const m of steps) {
    assert(Number.isFinite(m.loss as number) && (m.lr as number) > 0, JSON.stringify(m));
  }
  assertEquals((await listCheckpoints(join(r.runDir, "checkpoints"))).map((c) => c.step), [
    2,
    4,
    6,
  ]);
  const ck = await readCheckpoint(r.checkpoint);
  assertEquals((ck.state as { step: number }).step, 6);
  assert(ck.configYaml.includes("sub_name: ok"));
  assert(ck.groups.optimizer.length > 1, "momentum slots saved");
  assert(
    (await Deno.readTextFile(join(r.runDir, "config.yaml"))).includes(
      "backbone_type: MobileFaceNet",
    ),
  );
  const emb = await loadEmbedder(r.exportPath);
  assertEquals([emb.inputSize, emb.embeddingSize], [32, 16]);
  assertEquals(events[0], "start");
  assertEquals(events.at(-1), "done");
});

Deno.test("a missing dataset and too few classes are clear errors", async () => {
  await assertRejects(
    () => trainModel(parseConfig(tinyConfig(dir, join(dir, "nope.tfrecord"), { sub_name: "e1" }))),
    TrainDataError,
    "prepare_from",
  );
  await assertRejects(
    () => trainModel(parseConfig(tinyConfig(dir, dataset, { sub_name: "e2", num_classes: 4 }))),
    TrainDataError,
    "num_classes: 6",
  );
});

Deno.test("num_samples that differs from the data is a warning with the real count", async () => {
  const warnings: string[] = [];
  const config = parseConfig(
    tinyConfig(dir, dataset, { sub_name: "w", num_samples: 100, max_steps: 1 }),
  );
  await trainModel(config, { onEvent: (e) => e.type === "warning" && warnings.push(e.message) });
  assert(warnings.some((w) => w.includes("num_samples: 24")), warnings.join("\n"));
});

Deno.test("resuming with another config names what differs", async () => {
  const base = tinyConfig(dir, dataset, { sub_name: "mismatch", max_steps: 2 });
  await trainModel(parseConfig(base));
  const err = await assertRejects(
    () => trainModel(parseConfig({ ...base, width: 0.5, max_steps: 4 })),
    CheckpointMismatchError,
  );
  assert(err.message.includes("width: 0.25 there, 0.5 now"), err.message);
});

Deno.test("a diverging run stops with a clear error and keeps the last good checkpoint", async () => {
  const config = parseConfig(
    tinyConfig(dir, dataset, { sub_name: "nan", base_lr: 1e30, save_steps: 1, max_steps: 20 }),
  );
  const err = await assertRejects(() => trainModel(config), TrainingDivergedError, "Lower base_lr");
  const runDir = join(dir, "results", "nan");
  const log = await readMetrics(join(runDir, "metrics.jsonl"));
  const bad = log.find((m) => m.type === "diverged")!;
  assert(bad !== undefined, "diverged line logged");
  const cks = await listCheckpoints(join(runDir, "checkpoints"));
  assert(cks.length > 0 && cks.at(-1)!.step === (bad.step as number) - 1, err.message);
  const last = await readCheckpoint(cks.at(-1)!.path);
  assert(
    last.groups.model.every((a) => a.values.every(Number.isFinite)),
    "last checkpoint is finite",
  );
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
