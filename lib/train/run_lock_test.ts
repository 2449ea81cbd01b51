import { join } from "node:path";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { acquireRunLock, isStaleLock, lockPathFor, RunLockedError } from "./run_lock.ts";

/** A PID that was running and has exited (so it is free, at least for a while). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("a second taker of a live lock is refused with the holder's PID; release frees it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "run_lock_" });
  const a = await acquireRunLock(join(dir, "run"), { command: "train --config a.yaml" });
  const held = JSON.parse(await Deno.readTextFile(lockPathFor(join(dir, "run"))));
  assertEquals([held.pid, held.host, held.command], [
    Deno.pid,
    Deno.hostname(),
    "train --config a.yaml",
  ]);
  let err: unknown;
  try {
    await acquireRunLock(join(dir, "run"));
  } catch (e) {
    err = e;
  }
  assert(err instanceof RunLockedError, String(err));
  assert(err.message.includes(`PID ${Deno.pid}`) && err.message.includes("train --config a.yaml"));
  assert(err.message.includes(lockPathFor(join(dir, "run"))), err.message);
  a.release();
  a.release(); // idempotent
  const b = await acquireRunLock(join(dir, "run"));
  assertEquals(b.tookOver, undefined);
  b.release();
  assertEquals([...Deno.readDirSync(join(dir, "run"))].length, 0, "no lock or temp left");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a stale lock of a dead PID is taken over and reported", async () => {
  const dir = await Deno.makeTempDir({ prefix: "run_lock_" });
  const pid = await deadPid();
  const stale = { pid, host: Deno.hostname(), startedAt: "2026-01-01T00:00:00.000Z", command: "x" };
  assert(isStaleLock(stale));
  await Deno.writeTextFile(lockPathFor(dir), JSON.stringify(stale));
  const lock = await acquireRunLock(dir);
  assertEquals(lock.tookOver, stale);
  assertEquals(JSON.parse(await Deno.readTextFile(lockPathFor(dir))).pid, Deno.pid);
  lock.release();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a lock of another host, or a reused PID with another start time, is judged right", () => {
  const live = { pid: Deno.pid, host: "elsewhere", startedAt: "?", command: "" };
  assert(!isStaleLock(live), "another host: cannot know, so not stale");
  // PID 1 is alive; a different start time means the PID now names another process.
  assert(isStaleLock({ pid: 1, host: Deno.hostname(), startedAt: "?", command: "", pidStart: -5 }));
  assert(!isStaleLock({ pid: 1, host: Deno.hostname(), startedAt: "?", command: "" }));
});
