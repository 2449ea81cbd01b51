/**
 * Temporary files of dead processes. Writers here put their bytes in `<name>.tmp-<pid>` (or
 * `.tmp-<pid>-<random>`) and rename on success; a killed process leaves that temp behind. These
 * helpers tell a stale temp (its PID no longer runs) from one a live process is still writing,
 * so sweeps never delete another run's work in progress.
 *
 * @module
 */
import { join } from "node:path";

/** `<anything>.tmp-<pid>` or `<anything>.tmp-<pid>-<hex>`: group 1 is the PID. */
const TEMP_NAME = /\.(?:tmp|old)-(\d+)(?:-[0-9a-f]+)?$/;

/** The PID a temp file name carries (`x.tmp-123` -> 123), or null when it is not a temp name. */
export function tempPid(name: string): number | null {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Whether process `pid` runs now. Linux: /proc/<pid>; elsewhere `ps -p`. When neither can
 * tell, answers true (a temp that might be in use is never deleted).
 */
export async function isProcessAlive(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === Deno.pid) return true;
  try {
    await Deno.stat(`/proc/${pid}`);
    return true;
  } catch {
    // Either dead, or no /proc on this OS: tell them apart below.
  }
  try {
    await Deno.stat("/proc/self");
    return false; // /proc works, so the PID is gone.
  } catch {
    // No /proc (macOS, Windows).
  }
  try {
    const r = await new Deno.Command("ps", {
      args: ["-p", String(pid)],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return r.success;
  } catch {
    return true;
  }
}

/** Whether `name` is a temp of a process other than this one that no longer runs. */
export async function isStaleTemp(name: string): Promise<boolean> {
  const pid = tempPid(name);
  return pid !== null && pid !== Deno.pid && !(await isProcessAlive(pid));
}

/** Options of {@linkcode sweepStaleTemps}. */
export interface SweepOptions {
  /** Which temp names to consider (default: every temp name in the folder). */
  match?: (name: string) => boolean;
}

/**
 * Removes the temps of dead processes in `dir` (files or folders; never those of a live PID or
 * of this process) and returns the paths removed. A missing folder sweeps nothing.
 */
export async function sweepStaleTemps(dir: string, options: SweepOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (options.match && !options.match(e.name)) continue;
    if (!(await isStaleTemp(e.name))) continue;
    const path = join(dir, e.name);
    try {
      await Deno.remove(path, { recursive: true });
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed.sort();
}
