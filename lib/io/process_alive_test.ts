import { assert, assertEquals } from "../../tests/support/assert.ts";
import { isProcessAlive, processStartTime } from "./process_alive.ts";

/** A PID that ran and has ended (a finished child process). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null" }).spawn();
  await child.status;
  return child.pid;
}

Deno.test("isProcessAlive: a live child and this process run, an ended child and bad PIDs do not", async () => {
  const live = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    assert(isProcessAlive(live.pid));
    assert(isProcessAlive(Deno.pid));
    assert(!isProcessAlive(await deadPid()));
    assert(!isProcessAlive(0));
    assert(!isProcessAlive(-3));
  } finally {
    live.kill();
    await live.status;
  }
});

Deno.test("isProcessAlive: a PID running with another start time than recorded is gone (reused)", () => {
  const start = processStartTime(1);
  if (start === undefined) return; // no /proc here: no start times to compare
  assert(isProcessAlive(1, { startTime: start }));
  assert(!isProcessAlive(1, { startTime: start + 1 }));
  assertEquals(processStartTime(Deno.pid) !== undefined, true);
});
