/**
 * Test helpers of the verification tests (not part of the library): running `/usr/bin/python3`
 * to build or check pickle fixtures, and LFW pairs (where LFW is: `shared_data.ts`).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The Python used to build fixtures, or undefined when absent. */
export const PYTHON: string | undefined = existsSync("/usr/bin/python3")
  ? "/usr/bin/python3"
  : undefined;

/**
 * Runs an inline Python script with `args`; returns stdout, throws with stderr on failure.
 *
 * @param script Python source
 * @param args sys.argv[1:]
 */
export async function runPython(script: string, args: string[] = []): Promise<string> {
  if (!PYTHON) throw new Error("python3 is not available");
  const out = await new Deno.Command(PYTHON, { args: ["-c", script, ...args] }).output();
  const dec = new TextDecoder();
  if (!out.success) throw new Error(`python failed: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

/**
 * The first `n` pairs of each kind of LFW `pairs.txt` fold 1, as image paths and labels.
 *
 * @param lfw the LFW root
 * @param n pairs of each kind
 */
export async function samplePairs(
  lfw: string,
  n: number,
): Promise<{ paths: string[]; issame: boolean[] }> {
  const lines = (await Deno.readTextFile(join(lfw, "pairs.txt"))).split("\n").slice(1);
  const img = (name: string, i: string) =>
    join(lfw, "images", name, `${name}_${i.padStart(4, "0")}.jpg`);
  const paths: string[] = [], issame: boolean[] = [];
  const same = lines.slice(0, n), diff = lines.slice(300, 300 + n);
  for (const l of [...same, ...diff]) {
    const f = l.trim().split("\t");
    if (f.length === 3) paths.push(img(f[0], f[1]), img(f[0], f[2]));
    else paths.push(img(f[0], f[1]), img(f[2], f[3]));
    issame.push(f.length === 3);
  }
  return { paths, issame };
}
