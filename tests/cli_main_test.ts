/**
 * The CLI scaffold (cli/cli_main.ts) end to end, in subprocesses: --help, usage errors, typed
 * and untyped failures, a failure in top-level code after an await (an unhandled rejection),
 * and the stack trace only with ARCFACE_DEBUG=1.
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { intOption, parseCli, UsageError } from "../cli/cli_main.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

const SCRIPT = `
import { guardCli, parseCliOrHelp, runCli } from "${
  new URL("../cli/cli_main.ts", import.meta.url).href
}";
class WidgetError extends Error { override name = "WidgetError"; }
const mode = Deno.args[0];
if (mode === "toplevel") {
  guardCli("demo", "usage: demo MODE");
  await Promise.resolve();
  throw new TypeError("cannot read properties of undefined");
}
await runCli("demo", "usage: demo MODE", async (args) => {
  parseCliOrHelp(args, { n: { type: "string" } }, { minPositionals: 1, maxPositionals: 1, positionalsHint: "MODE" });
  await Promise.resolve();
  if (mode === "typed") throw new WidgetError("widget.yaml: key 'size' must be > 0");
  if (mode === "untyped") throw new Error("something broke");
  if (mode === "os") await Deno.readFile("/nonexistent/file.bin");
  if (mode === "reject") { Promise.reject(new RangeError("late rejection")); await new Promise((r) => setTimeout(r, 50)); }
  console.log("ok");
});
`;

async function run(args: string[], debug = false) {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "demo.ts");
    await Deno.writeTextFile(file, SCRIPT);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", file, ...args],
      env: { NO_COLOR: "1", ARCFACE_DEBUG: debug ? "1" : "" },
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const noTrace = (s: string) => !/Uncaught|^\s+at /m.test(s);

Deno.test("runCli: --help exits 0 with the usage; usage errors exit 2 with one line then the usage", async () => {
  const help = await run(["--help"]);
  assertEquals(help.code, 0);
  assertEquals(help.stdout.trim(), "usage: demo MODE");
  const unknown = await run(["typed", "--shardz", "3"]);
  assertEquals(unknown.code, 2);
  assertEquals(unknown.stderr.split("\n")[0], "demo: unknown option '--shardz'");
  assert(unknown.stderr.includes("usage: demo MODE"));
  const count = await run([]);
  assertEquals(count.code, 2);
  assertEquals(count.stderr.split("\n")[0], "demo: expected MODE, got 0 argument(s)");
  const value = await run(["typed", "--n"]);
  assertEquals(value.stderr.split("\n")[0], "demo: option '--n' needs a value");
});

Deno.test("runCli: typed errors print their message; others 'failed:' plus a hint; never a trace", async () => {
  const typed = await run(["typed"]);
  assertEquals(typed.code, 1);
  assertEquals(typed.stderr.trim(), "demo: widget.yaml: key 'size' must be > 0");
  for (
    const [mode, text] of [
      ["untyped", "demo: failed: something broke"],
      ["os", "demo: failed: No such file or directory"],
      ["reject", "demo: failed: late rejection"],
      ["toplevel", "demo: failed: cannot read properties of undefined"],
    ]
  ) {
    const r = await run([mode]);
    assertEquals(r.code, 1, mode);
    assert(r.stderr.startsWith(text), `${mode}: ${r.stderr}`);
    assert(r.stderr.includes("set ARCFACE_DEBUG=1 for the stack trace"), r.stderr);
    assert(noTrace(r.stderr), r.stderr);
  }
  const debug = await run(["untyped"], true);
  assertEquals(debug.code, 1);
  assert(/^\s+at /m.test(debug.stderr), `no stack with ARCFACE_DEBUG=1: ${debug.stderr}`);
});

Deno.test("parseCli and intOption: strict options, ranges", () => {
  let e: unknown;
  try {
    parseCli(["--x"], {});
  } catch (err) {
    e = err;
  }
  assert(e instanceof UsageError && e.message === "unknown option '--x'", String(e));
  assertEquals(parseCli(["--help", "--x"], {}).help, true);
  assertEquals(intOption("shards", "4", { min: 1 }), 4);
  for (const bad of ["0", "1.5", "x", ""]) {
    try {
      intOption("shards", bad, { min: 1 });
      throw new Error(`accepted '${bad}'`);
    } catch (err) {
      assert(err instanceof UsageError, String(err));
      assert(err.message.startsWith("--shards must be an integer >= 1"), err.message);
    }
  }
});

// Every CLI behind a deno task (read from deno.json, so a new command cannot be left out).
const CLIS = [
  ...new Set(
    Object.values(
      (JSON.parse(Deno.readTextFileSync(join(repoRoot(), "deno.json"))) as {
        tasks: Record<string, { command: string }>;
      }).tasks,
    ).flatMap((t) => [...t.command.matchAll(/cli\/(\w+)\.ts/g)].map((m) => m[1])),
  ),
];

Deno.test("the --help test covers the CLIs it must", () => {
  for (const c of ["convert", "train", "eval", "bench_align", "config_docs", "doctor"]) {
    assert(CLIS.includes(c), `${c} missing from ${CLIS.join(", ")}`);
  }
});

Deno.test("every CLI: --help prints its usage and exits 0; -h too", async () => {
  const results = await Promise.all(CLIS.flatMap((cli) =>
    ["--help", "-h"].map(async (flag) => {
      const file = join(repoRoot(), "cli", `${cli}.ts`);
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", file, flag],
        env: { NO_COLOR: "1" },
      }).output();
      return { cli, flag, code: out.code, stdout: new TextDecoder().decode(out.stdout) };
    })
  ));
  for (const r of results) {
    assertEquals(r.code, 0, `${r.cli} ${r.flag}`);
    assert(/usage: deno task/i.test(r.stdout), `${r.cli} ${r.flag}: ${r.stdout}`);
  }
});
