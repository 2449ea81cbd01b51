/**
 * Runs benchmark measurements in child processes (see `bench_child_main.ts`): each gets a
 * fresh wasm heap, and several can run at once, one per core.
 *
 * @module
 */

/** Path of the child entry point. */
export const BENCH_CHILD: string = new URL("./bench_child_main.ts", import.meta.url).pathname;

/** Runs one benchmark child process; its JSON result, or null when it failed. */
export async function runBenchChild(
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, unknown> | null> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) return null;
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  try {
    const r = JSON.parse(line);
    return r?.ok === true ? r : null;
  } catch {
    return null;
  }
}
