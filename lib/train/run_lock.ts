/**
 * One run folder, one writer: `results/<sub_name>/lock` holds `{pid, host, startedAt, command}`
 * of the training process that owns the folder. It is created atomically (written to a temp
 * file, then hard-linked into place: the link fails when a lock exists), before anything in the
 * folder is touched (checkpoint leftovers sweep, metrics.jsonl, config.yaml). A lock whose
 * process is gone (same host, PID not running, or running but started at another time: the
 * PID was reused) is stale (a `kill -9`, a power cut) and is taken over; the caller reports it.
 *
 * @module
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isProcessAlive, processStartTime } from "../io/process_alive.ts";

const fromFileUrl = (u: string) => (u.startsWith("file:") ? fileURLToPath(u) : u);

/** What the lock file holds. */
export interface RunLockInfo {
  /** PID of the process holding the folder. */
  pid: number;
  /** Host name of that process (a PID only means something on its host). */
  host: string;
  /** When the lock was taken (ISO time). */
  startedAt: string;
  /** The command line of the holder (for the message of a refused run). */
  command: string;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat field 22), Linux only. */
  pidStart?: number;
}

/** Raised when another live process holds the run folder. */
export class RunLockedError extends Error {
  override name = "RunLockedError";
  /** The lock file. */
  readonly lockFile: string;
  /** The holder, as its lock file says. */
  readonly holder: RunLockInfo;
  /** Creates the error for `lockFile` held by `holder`; `hint` says what to do. */
  constructor(lockFile: string, holder: RunLockInfo, hint: string) {
    super(
      `${lockFile}: the run folder is in use by PID ${holder.pid} on ${holder.host} ` +
        `(since ${holder.startedAt}: ${holder.command || "?"}). ${hint}`,
    );
    this.lockFile = lockFile;
    this.holder = holder;
  }
}

/** A taken lock: `release()` removes it (idempotent; also run when the process exits). */
export interface RunLock {
  /** The lock file. */
  readonly path: string;
  /** What this process wrote into it. */
  readonly info: RunLockInfo;
  /** The stale lock that was taken over, when there was one (to report). */
  readonly tookOver?: RunLockInfo;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/** The lock file of a run folder. */
export function lockPathFor(runDir: string): string {
  return join(runDir, "lock");
}

/**
 * Whether the holder of `info` is gone: `true` only when that can be known (same host, and
 * {@linkcode isProcessAlive} says the PID is not running, or names a process started at
 * another time than `info.pidStart`).
 */
export function isStaleLock(info: RunLockInfo): boolean {
  if (info.host !== Deno.hostname() || info.pid <= 0) return false;
  return !isProcessAlive(info.pid, { startTime: info.pidStart });
}

function readLock(path: string): RunLockInfo | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  try {
    const v = JSON.parse(text);
    if (typeof v.pid === "number" && typeof v.host === "string") return v as RunLockInfo;
  } catch {
    // Not JSON: a lock file from something else, reported below.
  }
  return {
    pid: -1,
    host: "?",
    startedAt: "?",
    command: `unreadable lock file: ${text.slice(0, 80)}`,
  };
}

function tryLink(tmp: string, path: string): boolean {
  try {
    Deno.linkSync(tmp, path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw e;
  }
}

/**
 * Takes the lock of `runDir` (creating the folder), or throws {@linkcode RunLockedError} naming
 * the live holder's PID. A stale lock (see {@linkcode isStaleLock}) is taken over and returned
 * in `tookOver`. `command` is recorded for the message another run would show.
 */
export async function acquireRunLock(
  runDir: string,
  options: { command?: string } = {},
): Promise<RunLock> {
  await Deno.mkdir(runDir, { recursive: true });
  const path = lockPathFor(runDir);
  const info: RunLockInfo = {
    pid: Deno.pid,
    host: Deno.hostname(),
    startedAt: new Date().toISOString(),
    command: options.command ?? [basename(fromFileUrl(Deno.mainModule)), ...Deno.args].join(" "),
  };
  const start = processStartTime(Deno.pid);
  if (start !== undefined) info.pidStart = start;
  const text = JSON.stringify(info) + "\n";
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  Deno.writeTextFileSync(tmp, text);
  let tookOver: RunLockInfo | undefined;
  try {
    for (let attempt = 0; !tryLink(tmp, path); attempt++) {
      const holder = readLock(path);
      if (holder === undefined) continue; // released meanwhile: try again
      if (attempt > 3 || !isStaleLock(holder)) {
        throw new RunLockedError(
          path,
          holder,
          holder.pid === -1
            ? `Delete the lock file if no training run is using this folder.`
            : holder.host !== info.host
            ? `It was taken on another host: if no run is going on there, delete the lock file.`
            : `Wait for it to finish, stop it, or use another sub_name. If that process is ` +
              `not a training run of this folder, delete the lock file.`,
        );
      }
      // Set the stale lock aside under a name of our own; only one taker can win this rename.
      const aside = `${path}.stale-${Deno.pid}`;
      try {
        Deno.renameSync(path, aside);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) continue;
        throw e;
      }
      const moved = readLock(aside);
      if (moved && (moved.pid !== holder.pid || moved.startedAt !== holder.startedAt)) {
        // Another taker replaced it between our read and rename: put theirs back and refuse.
        tryLink(aside, path);
        Deno.removeSync(aside);
        throw new RunLockedError(path, moved, `Another run took the folder over just now.`);
      }
      Deno.removeSync(aside);
      tookOver = holder;
    }
  } finally {
    Deno.removeSync(tmp);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    globalThis.removeEventListener("unload", release);
    try {
      if (Deno.readTextFileSync(path) === text) Deno.removeSync(path);
    } catch {
      // Already gone.
    }
  };
  // Deno.exit (e.g. a second Ctrl-C) runs unload listeners: the lock goes with the process.
  globalThis.addEventListener("unload", release);
  return { path, info, tookOver, release };
}

/** The warning of a run that took over the stale lock `lockFile` left by `previous`. */
export function staleLockMessage(lockFile: string, previous: RunLockInfo): string {
  return `took over the stale lock ${lockFile} of PID ${previous.pid} on ${previous.host} ` +
    `(since ${previous.startedAt}), which is no longer running: that run ended without ` +
    `releasing it (killed?). Its latest complete checkpoint is kept.`;
}
