/**
 * Temporary files of dead processes. Writers here put their bytes in `<name>.tmp-<pid>` (or
 * `.tmp-<pid>-<random>`) and rename on success; a killed process leaves that temp behind. These
 * helpers tell a stale temp (its PID no longer runs) from one a live process is still writing,
 * so sweeps never delete another run's work in progress.
 *
 * @module
 */
import { join } from "node:path";
import { isProcessAlive } from "./process_alive.ts";

/** `<anything>.tmp-<pid>` or `<anything>.tmp-<pid>-<hex>`: group 1 is the PID. */
const TEMP_NAME = /\.(?:tmp|old)-(\d+)(?:-[0-9a-f]+)?$/;

/** The PID a temp file name carries (`x.tmp-123` -> 123), or null when it is not a temp name. */
export function tempPid(name: string): number | null {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : null;
}

/** Whether `name` is a temp of a process other than this one that no longer runs. */
export function isStaleTemp(name: string): boolean {
  const pid = tempPid(name);
  return pid !== null && pid !== Deno.pid && !isProcessAlive(pid);
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
    if (!isStaleTemp(e.name)) continue;
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
