/**
 * Runs the bad-input table (tests/support/bad_input_rows.ts) against a repository's CLIs, each
 * row as a subprocess, and classifies what came out:
 *
 * - named: exit 1 or 2, no stack trace, and the message mentions every offending path / flag /
 *   key of the row (for `succeeds` rows: exit 0 and the output says them); another exit code
 *   (134, 139: a crash on the way out) is weak at best;
 * - weak: exit 1/2, no trace, mentions them but only as an untyped "failed:" error or raw OS
 *   text ("No such file or directory (os error 2): ..."), or a descriptive message that misses
 *   one of them;
 * - vague: exit 1/2, no trace, a short message that names none of them;
 * - trace: a stack trace or "Uncaught" reached the terminal;
 * - silent: exit 0 (a bad input accepted), no output at all, or a hang (timeout).
 *
 * Usage: deno run -A tests/support/bad_inputs.ts [--repo DIR] [--only id,id] [--skip-pending]
 *        [--light (no TF.js / training rows)] [--concurrency 3] [--json out.json]
 * Prints a markdown table and the counts.
 *
 * @module
 */
import { parseCliOrHelp, runCli } from "../../cli/cli_main.ts";
import { join, resolve } from "node:path";
import { lfwRoot } from "./shared_data.ts";
import { BAD_INPUTS, type BadInput, type BadInputContext } from "./bad_input_rows.ts";

/** A row's classification. */
export type Verdict = "named" | "weak" | "vague" | "trace" | "silent";

/** What one row did. */
export interface BadInputResult {
  /** The row. */
  row: BadInput;
  /** Exit code (null: killed at the timeout). */
  code: number | null;
  /** The classification. */
  verdict: Verdict;
  /** The first line of the message (stderr first). */
  line: string;
  /** Mentions the message lacked. */
  missing: string[];
  /** Full output, for debugging. */
  output: string;
}

const TRACE = /Uncaught|^\s+at .*:\d+:\d+\)?$|Stack backtrace|^Traceback \(most recent/m;

/**
 * The line that carries the error: the first one for a usage error (the usage follows it),
 * else the last `<word>: ...` line (progress lines come before the failure), else the first.
 */
function messageLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0) return "";
  if (/\n\s*\n\s*usage/i.test(text)) return lines[0];
  const tagged = lines.filter((l) => /^[\w-]+: /.test(l) && !l.startsWith("at "));
  return tagged.at(-1) ?? lines[0];
}

/** Classifies one run (see the module doc). */
export function classify(
  row: BadInput,
  code: number | null,
  stdout: string,
  stderr: string,
  mentions: string[],
): { verdict: Verdict; line: string; missing: string[] } {
  const text = `${stderr}\n${stdout}`;
  const line = messageLine(stderr) || messageLine(stdout);
  const missing = mentions.filter((m) => !text.includes(m));
  if (code === null) return { verdict: "silent", line: "(timed out)", missing };
  if (TRACE.test(text)) return { verdict: "trace", line, missing };
  if (row.succeeds) {
    return { verdict: code === 0 && missing.length === 0 ? "named" : "silent", line, missing };
  }
  if (code === 0 || line === "") return { verdict: "silent", line, missing };
  // Exit codes other than 1/2 (134: abort, 139: segfault on the way out) are not a clean end.
  if (code !== 1 && code !== 2) return { verdict: "weak", line, missing };
  // An untyped error, or raw OS text ("No such file or directory (os error 2): readfile ..."),
  // names the path at best but not what it was for or what to do.
  const untyped = /: failed: /.test(line) ||
    /^[\w-]+: (?:[A-Za-z]+: )?(?:No such file|File exists|Permission denied|Not a directory|Is a directory|No space left)[^\n]*\(os error \d+\)/
      .test(line);
  if (missing.length === 0) return { verdict: untyped ? "weak" : "named", line, missing };
  if (missing.length < mentions.length || line.length > 60) {
    return { verdict: "weak", line, missing };
  }
  return { verdict: "vague", line, missing };
}

/** Options of {@linkcode runBadInputs}. */
export interface RunBadInputsOptions {
  /** Repository whose CLIs run (default: this one). */
  repo?: string;
  /** Rows to run (default: all). */
  rows?: BadInput[];
  /** Rows at once (default 3). */
  concurrency?: number;
  /** Seconds per row before it counts as a hang (default 240). */
  timeoutSec?: number;
  /** Called as each row finishes. */
  onResult?: (r: BadInputResult) => void;
}

async function runRow(row: BadInput, ctx: BadInputContext, timeoutSec: number) {
  await row.setup?.(ctx);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutSec * 1000);
  try {
    const out = await new Deno.Command(join(ctx.repo, "deno"), {
      args: ["run", "-A", join(ctx.repo, "cli", `${row.cli}.ts`), ...row.args(ctx)],
      cwd: ctx.repo,
      env: { NO_COLOR: "1", ARCFACE_DEBUG: "" },
      stdin: "null",
      signal: controller.signal,
    }).output();
    const dec = new TextDecoder();
    const killed = controller.signal.aborted;
    return {
      code: killed ? null : out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `rows` (see the module doc) and returns the results in table order. */
export async function runBadInputs(options: RunBadInputsOptions = {}): Promise<BadInputResult[]> {
  const repo = resolve(options.repo ?? new URL("../..", import.meta.url).pathname);
  const rows = options.rows ?? BAD_INPUTS;
  const base = await Deno.makeTempDir({ prefix: "bad_inputs_" });
  const results: BadInputResult[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i];
      const ctx: BadInputContext = {
        dir: join(base, row.id),
        lfw: lfwRoot() ?? "(no shared LFW: set ARCFACE_DATA_ROOT)",
        repo,
      };
      await Deno.mkdir(ctx.dir, { recursive: true });
      let r: BadInputResult;
      try {
        const { code, stdout, stderr } = await runRow(row, ctx, options.timeoutSec ?? 240);
        const c = classify(row, code, stdout, stderr, row.mentions(ctx));
        r = { row, code, ...c, output: `${stderr}\n${stdout}` };
      } catch (e) {
        r = { row, code: null, verdict: "silent", line: `harness: ${e}`, missing: [], output: "" };
      }
      results[i] = r;
      options.onResult?.(r);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 3 }, worker));
  } finally {
    await Deno.remove(base, { recursive: true }).catch(() => {});
  }
  return results;
}

/** The counts line: tried / named / weak / vague / trace / silent. */
export function countLine(results: BadInputResult[]): string {
  const n = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  return `tried ${results.length} / named ${n("named")} / weak ${n("weak")} / vague ${
    n("vague")
  } / trace ${n("trace")} / silent ${n("silent")}`;
}

/** A markdown table of the results. */
export function markdownTable(results: BadInputResult[]): string {
  const esc = (s: string) => s.replaceAll("|", "\\|").slice(0, 160);
  const lines = [
    "| # | cli | bad input | exit | verdict | first line of the message |",
    "|---|-----|-----------|------|---------|---------------------------|",
  ];
  results.forEach((r, i) => {
    const pending = r.row.pending ? ` (pending: ${r.row.pending})` : "";
    lines.push(
      `| ${i + 1} | ${r.row.cli} | ${esc(r.row.what)}${pending} | ${
        r.code ?? "-"
      } | ${r.verdict} | ${esc(r.line)} |`,
    );
  });
  return lines.join("\n");
}

const USAGE = `usage: deno run -A tests/support/bad_inputs.ts [--repo DIR] [--only id,...]
         [--skip-pending] [--light] [--concurrency N] [--json out.json]
  Runs every bad-input row against the CLIs of DIR (default: this checkout) and prints the
  markdown table with the counts (named / weak / vague / trace / silent).`;

async function main(args: string[]): Promise<void> {
  const { values } = parseCliOrHelp(args, {
    repo: { type: "string" },
    only: { type: "string" },
    "skip-pending": { type: "boolean", default: false },
    light: { type: "boolean", default: false },
    concurrency: { type: "string", default: "3" },
    json: { type: "string" },
  });
  let rows = BAD_INPUTS;
  if (values.only) {
    const ids = new Set(values.only.split(","));
    rows = rows.filter((r) => ids.has(r.id));
  }
  if (values["skip-pending"]) rows = rows.filter((r) => !r.pending);
  if (values.light) rows = rows.filter((r) => !r.heavy);
  const results = await runBadInputs({
    repo: values.repo,
    rows,
    concurrency: Number(values.concurrency),
    onResult: (r) => console.error(`${r.verdict.padEnd(6)} ${r.row.id}: ${r.line.slice(0, 120)}`),
  });
  console.log(markdownTable(results));
  console.log(`\n${countLine(results)}`);
  if (values.json) {
    await Deno.writeTextFile(
      values.json,
      JSON.stringify(
        results.map((r) => ({
          id: r.row.id,
          cli: r.row.cli,
          what: r.row.what,
          pending: r.row.pending ?? null,
          code: r.code,
          verdict: r.verdict,
          line: r.line,
          missing: r.missing,
          output: r.output.slice(0, 3000),
        })),
        null,
        1,
      ),
    );
  }
}

if (import.meta.main) await runCli("bad_inputs", USAGE, main);
