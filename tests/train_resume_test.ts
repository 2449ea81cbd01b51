/**
 * Kill -9 a training run (two data-parallel replicas in Workers) after a checkpoint, run the
 * same command again, and compare with a run that was never interrupted: the same losses at
 * every step and bit-identical final weights, BN statistics and momentum. The killed run's lock
 * is stale: the rerun takes it over with a message. Runs on wasm and, where libdnnl2 loads, on
 * native (oneDNN with its OpenMP threads: bit-identical too, as measured here).
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { repoRoot } from "../lib/io/repo_root.ts";
import { listCheckpoints, readCheckpoint, readMetrics } from "../lib/train/mod.ts";
import { makeTinyDataset, tinyConfig, writeConfig } from "./support/train_fixture.ts";
import { setupBackend } from "../lib/backend/mod.ts";

/** Whether the native backend loads here (libdnnl2 installed). */
const nativeLoads = await setupBackend("native", { env: {} }).then(() => true, () => false);
await setupBackend("wasm", { env: {} });

const DENO = join(repoRoot(), "deno");
const CLI = join(repoRoot(), "cli", "train.ts");

function command(config: string): Deno.Command {
  return new Deno.Command(DENO, {
    args: ["run", "-A", CLI, "--config", config],
    stdout: "piped",
    stderr: "piped",
  });
}

async function stepLosses(runDir: string): Promise<[number, number][]> {
  const log = await readMetrics(join(runDir, "metrics.jsonl"));
  return log.filter((m) => m.type === "step").map((m) => [m.step as number, m.loss as number]);
}

for (const backend of ["wasm", "native"] as const) {
  Deno.test({
    name: `a run killed after a checkpoint resumes on the same trajectory (2 replicas, ${backend})`,
    ignore: backend === "native" && !nativeLoads,
  }, async () => {
    const dir = await Deno.makeTempDir({ prefix: "train_resume_" });
    try {
      const dataset = await makeTinyDataset(dir);
      const common = {
        backend,
        max_steps: 10,
        save_steps: 3,
        train_workers: 2,
        input_size: 48,
        augment: { resize: 56 },
      };
      const straight = await writeConfig(
        join(dir, "a.yaml"),
        tinyConfig(dir, dataset, { ...common, sub_name: "straight" }),
      );
      const killed = await writeConfig(
        join(dir, "b.yaml"),
        tinyConfig(dir, dataset, { ...common, sub_name: "killed" }),
      );

      const a = await command(straight).output();
      assertEquals(a.code, 0, new TextDecoder().decode(a.stderr));

      // Start the second run and SIGKILL it as soon as its first checkpoint is complete.
      const child = command(killed).spawn();
      const ckRoot = join(dir, "results", "killed", "checkpoints");
      // No fixed deadline (a slow machine only takes longer): poll until the first checkpoint
      // appears or the run ends by itself (then the assertions below say what went wrong).
      let seen = 0, exited = false;
      child.status.then(() => exited = true);
      while (seen === 0 && !exited) {
        await new Promise((r) => setTimeout(r, 50));
        seen = (await listCheckpoints(ckRoot).catch(() => [])).length;
      }
      child.kill("SIGKILL");
      const status = await child.status;
      assert(seen > 0, "no checkpoint appeared");
      const before = await stepLosses(join(dir, "results", "killed"));
      assert(
        before.length < 10 && status.code !== 0,
        `the run was not interrupted (${before.length} steps)`,
      );

      const b = await command(killed).output();
      const err = new TextDecoder().decode(b.stderr);
      assertEquals(b.code, 0, err);
      assert(err.includes("resuming at step"), err);
      // kill -9 left the run folder's lock behind: the rerun takes it over and says so.
      assert(err.includes("took over the stale lock") && err.includes(`PID ${child.pid}`), err);

      const la = await stepLosses(join(dir, "results", "straight"));
      const lb = await stepLosses(join(dir, "results", "killed"));
      assertEquals(lb.map((x) => x[0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assertEquals(lb, la);
      const ca = await readCheckpoint(
        (await listCheckpoints(join(dir, "results", "straight", "checkpoints"))).at(-1)!.path,
      );
      const cb = await readCheckpoint((await listCheckpoints(ckRoot)).at(-1)!.path);
      assertEquals(cb.step, 10);
      for (const g of ["model", "head", "optimizer"]) {
        ca.groups[g].forEach((arr, i) => {
          const other = cb.groups[g][i];
          assert(arr.values.every((v, j) => v === other.values[j]), `${g} '${arr.name}' differs`);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
