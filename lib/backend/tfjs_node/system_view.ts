/**
 * The "system view" the tfjs-node diagnosis reads the machine through: files, folders,
 * environment variables and commands (`ldconfig -p`, `nvidia-smi`). Injectable, so tests build
 * each failure layout in a temp folder and fake the commands' output.
 *
 * @module
 */

/** What a command printed (`undefined` from {@linkcode SystemView.run}: not on PATH / could not start). */
export interface CommandOutput {
  /** Exit code. */
  code: number;
  /** Standard output, decoded as UTF-8. */
  stdout: string;
}

/** Read-only probes of the machine. */
export interface SystemView {
  /** Whether a file or folder exists (a dangling symlink does not). */
  exists(path: string): Promise<boolean>;
  /** A text file's content, `undefined` when absent or unreadable. */
  readText(path: string): Promise<string | undefined>;
  /** Names in a folder, `[]` when absent or unreadable. */
  listDir(path: string): Promise<string[]>;
  /** Runs a command; `undefined` when it cannot start (not installed). */
  run(cmd: string, args: string[]): Promise<CommandOutput | undefined>;
  /** An environment variable, `undefined` when unset or not readable. */
  env(name: string): string | undefined;
}

/** Overrides of {@linkcode systemView}: any probe given replaces the real one. */
export type SystemViewOverrides = Partial<SystemView>;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

async function listDir(path: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(path)) names.push(e.name);
  } catch {
    return [];
  }
  return names.sort();
}

async function run(cmd: string, args: string[]): Promise<CommandOutput | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  } catch {
    return undefined;
  }
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The real machine, with any probe replaced by `overrides` (tests fake `run` and `env`). */
export function systemView(overrides: SystemViewOverrides = {}): SystemView {
  return { exists, readText, listDir, run, env, ...overrides };
}
