/**
 * `deno task bench`'s command line: usage errors exit 2 with one line naming the flag (the
 * measurements themselves are benchmarks, not tests).
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

async function bench(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(repoRoot(), "cli", "bench.ts"), ...args],
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("bench: usage errors exit 2 with one line that names the flag, then the usage", async () => {
  const cases: [string[], RegExp][] = [
    [["--threads", "1,0"], /^bench: .*threads.*/],
    [["--networks", "VGG16"], /^bench: unknown network 'VGG16'/],
    [["--modes", "train,fly"], /^bench: --modes takes train and\/or infer, got 'fly'/],
    [["--bogus"], /^bench: .*bogus/],
  ];
  const results = await Promise.all(cases.map(([args]) => bench(args)));
  results.forEach((r, i) => {
    assertEquals(r.code, 2, `${cases[i][0].join(" ")}: ${r.stderr}`);
    const [first, blank, usage] = r.stderr.split("\n");
    assert(cases[i][1].test(first), r.stderr);
    assert(blank === "" && /^Usage: deno task bench/.test(usage), r.stderr);
  });
});
