/**
 * One run folder, one writer: the trainer locks results/<sub_name>/ before touching it. A second
 * run refuses with the holder's PID (and leaves the first's in-progress checkpoint and
 * metrics.jsonl alone); a stale lock of a dead process is taken over and reported.
 */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { lockPathFor, readMetrics, RunLockedError, trainModel } from "../lib/train/mod.ts";
import { makeTinyDataset, tinyConfig } from "./support/train_fixture.ts";

const dir = await Deno.makeTempDir({ prefix: "train_lock_" });
const dataset = await makeTinyDataset(dir);

Deno.test("a run on a folder held by a live process refuses and sweeps or truncates nothing", async () => {
  const holder = new Deno.Command("sleep", { args: ["60"] }).spawn();
  try {
    const runDir = join(dir, "results", "held");
    // What the first run has there mid-save: a checkpoint being written, its metrics so far.
    const inProgress = join(runDir, "checkpoints", `.step_00000004.tmp-${holder.pid}`);
    await Deno.mkdir(inProgress, { recursive: true });
    await Deno.writeTextFile(join(inProgress, "weights.bin"), "partial");
    const metrics = '{"type":"step","step":1}\n{"type":"step","step":2}\n';
    await Deno.writeTextFile(join(runDir, "metrics.jsonl"), metrics);
    await Deno.writeTextFile(
      lockPathFor(runDir),
      JSON.stringify({
        pid: holder.pid,
        host: Deno.hostname(),
        startedAt: new Date().toISOString(),
        command: "deno run -A cli/train.ts --config first.yaml",
      }),
    );
    const err = await assertRejects(
      () => trainModel(parseConfig(tinyConfig(dir, dataset, { sub_name: "held" }))),
      RunLockedError,
      `PID ${holder.pid}`,
    );
    assert(err.message.includes(runDir) && err.message.includes("first.yaml"), err.message);
    assertEquals(await Deno.readTextFile(join(inProgress, "weights.bin")), "partial");
    assertEquals(await Deno.readTextFile(join(runDir, "metrics.jsonl")), metrics);
    assertEquals(JSON.parse(await Deno.readTextFile(lockPathFor(runDir))).pid, holder.pid);
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
  }
});

Deno.test("a stale lock is taken over (reported, logged); a second run meanwhile is refused", async () => {
  const dead = new Deno.Command("true").spawn();
  await dead.status;
  const runDir = join(dir, "results", "stale");
  await Deno.mkdir(runDir, { recursive: true });
  await Deno.writeTextFile(
    lockPathFor(runDir),
    JSON.stringify({ pid: dead.pid, host: Deno.hostname(), startedAt: "then", command: "killed" }),
  );
  const config = parseConfig(tinyConfig(dir, dataset, { sub_name: "stale" }));
  const warnings: string[] = [];
  let second: Promise<unknown> | undefined;
  const r = await trainModel(config, {
    onEvent: (e) => {
      if (e.type === "warning") warnings.push(e.message);
      if (e.type === "step" && e.step === 2) second = trainModel(config).catch((x) => x);
    },
  });
  const refused = await second;
  assert(refused instanceof RunLockedError, String(refused));
  assert(refused.message.includes(`PID ${Deno.pid}`), refused.message);
  assert(
    warnings.some((w) => w.includes(`stale lock`) && w.includes(`PID ${dead.pid}`)),
    warnings.join("\n"),
  );
  const log = await readMetrics(r.metricsPath);
  assertEquals(log.filter((m) => m.type === "step").map((m) => m.step), [1, 2, 3, 4, 5, 6]);
  const takeover = log.find((m) => m.type === "lock_takeover") as { previous: { pid: number } };
  assertEquals(takeover?.previous.pid, dead.pid);
  await assertRejects(() => Deno.stat(lockPathFor(runDir)), Deno.errors.NotFound, "");
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
