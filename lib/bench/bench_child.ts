/**
 * Runs benchmark measurements in child processes (see `bench_child_main.ts`): each gets a
 * fresh wasm heap, and several can run at once, one per core.
 *
 * @module
 */

import type { BenchCase } from "./bench_cases.ts";

/** What a `measure` child measures (passed as one JSON argument). */
export interface ChildMeasure {
  case: BenchCase;
  modes: ("train" | "infer")[];
  seconds: number;
  /** Timed seconds of inference (default `seconds`). */
  inferSeconds?: number;
  minSteps?: number;
  warmup?: number;
}

/** Path of the child entry point. */
export const BENCH_CHILD: string = new URL("./bench_child_main.ts", import.meta.url).pathname;

/**
 * Runs one benchmark child process; its JSON result, or null when it failed (`onFail` gets the
 * last line of its stderr, to say why).
 */
export async function runBenchChild(
  args: string[],
  env: Record<string, string> = {},
  options: { onFail?: (why: string) => void } = {},
): Promise<Record<string, unknown> | null> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n");
    options.onFail?.(err.find((l) => /error/i.test(l)) ?? err.pop() ?? `exit code ${out.code}`);
    return null;
  }
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  try {
    const r = JSON.parse(line);
    if (r?.ok === true) return r;
  } catch {
    // fall through: not a result line
  }
  options.onFail?.(`no result line (last stdout line: ${line.slice(0, 200)})`);
  return null;
}

/** Runs a `measure` child (see bench_child_main.ts); its rows, or null when it failed. */
export async function runMeasureChild(
  m: ChildMeasure,
  options: { env?: Record<string, string>; onFail?: (why: string) => void } = {},
): Promise<Record<string, unknown>[] | null> {
  const r = await runBenchChild(
    ["run", "-A", BENCH_CHILD, "measure", JSON.stringify(m)],
    options.env,
    { onFail: options.onFail },
  );
  return r ? r.rows as Record<string, unknown>[] : null;
}
