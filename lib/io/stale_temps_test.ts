import { join } from "node:path";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { isProcessAlive, sweepStaleTemps, tempPid } from "./stale_temps.ts";
import { sweepOutputTemps } from "../data/convert/write_conversion.ts";

/** A PID that ran and has ended (a finished child process). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null" }).spawn();
  await child.status;
  return child.pid;
}

Deno.test("tempPid reads .tmp-<pid> and .tmp-<pid>-<hex> names only", () => {
  assertEquals(tempPid("a.tfrecord.tmp-123"), 123);
  assertEquals(tempPid(".x.bin.tmp-77-0a1b2c3d"), 77);
  assertEquals(tempPid(".step_00000010.old-9"), 9);
  assertEquals(tempPid("a.tfrecord"), null);
});

Deno.test("sweep removes temps of dead PIDs, never a live one's, and says what it removed", async () => {
  const dir = await Deno.makeTempDir();
  const live = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const dead = await deadPid();
    assert(!(await isProcessAlive(dead)));
    assert(await isProcessAlive(live.pid));
    const names = [
      `out.tfrecord.tmp-${dead}`, // a killed convert's output
      `out.labels.tsv.tmp-${dead}`,
      `out.tfrecord.tmp-${live.pid}`, // another convert still writing
      `out.tfrecord.tmp-${Deno.pid}`, // this process
      `other.tfrecord.tmp-${dead}`, // another output: not this sweep's business
      "out.tfrecord",
    ];
    for (const n of names) await Deno.writeTextFile(join(dir, n), "x");
    const removed = await sweepOutputTemps(join(dir, "out.tfrecord"));
    assertEquals(removed, [
      join(dir, `out.labels.tsv.tmp-${dead}`),
      join(dir, `out.tfrecord.tmp-${dead}`),
    ]);
    const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
    assertEquals(left, names.slice(2).sort());
    assertEquals(await sweepStaleTemps(join(dir, "missing")), []);
  } finally {
    live.kill();
    await live.status;
    await Deno.remove(dir, { recursive: true });
  }
});
