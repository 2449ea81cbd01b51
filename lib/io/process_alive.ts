/**
 * Whether a process still runs: the one liveness check behind stale temp sweeps and run-folder
 * locks. A PID alone can be reused after its process ends, so a caller that recorded the start
 * time of the process (see {@linkcode processStartTime}) passes it, and a PID now running with
 * another start time counts as gone.
 *
 * @module
 */

/**
 * The start time of process `pid` in clock ticks since boot (/proc/<pid>/stat field 22), or
 * undefined when there is no such process or no /proc (macOS, Windows).
 */
export function processStartTime(pid: number): number | undefined {
  try {
    // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const v = Number(rest[19]); // field 22 = index 19 after fields 1..2
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function hasProc(): boolean {
  try {
    Deno.statSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

/** Options of {@linkcode isProcessAlive}. */
export interface ProcessAliveOptions {
  /**
   * The start time recorded when the process was seen (from {@linkcode processStartTime}): a
   * process with this PID but another start time is a different one, so the PID counts as gone.
   */
  startTime?: number;
}

/**
 * Whether process `pid` (on this host) runs now. Linux: /proc/<pid>, with the start-time check
 * of `options.startTime`; elsewhere `ps -p` (no start-time check). When neither can tell,
 * answers true, so nothing a live process might still use is taken or deleted.
 */
export function isProcessAlive(pid: number, options: ProcessAliveOptions = {}): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === Deno.pid) return true;
  if (hasProc()) {
    const start = processStartTime(pid);
    if (start === undefined) return false; // /proc works, so the PID is gone.
    return options.startTime === undefined || start === options.startTime;
  }
  try {
    const r = new Deno.Command("ps", { args: ["-p", String(pid)], stdout: "null", stderr: "null" })
      .outputSync();
    return r.success;
  } catch {
    return true;
  }
}
