/**
 * `deno task doctor` on this machine, in a subprocess: the table, `--json`, `--strict`, and
 * nothing stray on stderr (the backend / WebGPU probe's native output is captured).
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { repoRoot } from "../lib/io/repo_root.ts";
import { DOCTOR_SECTIONS } from "../lib/doctor/mod.ts";
import type { DoctorReport } from "../lib/doctor/mod.ts";

async function doctor(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(repoRoot(), "cli", "doctor.ts"), ...args],
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function hasNvidiaSmi(): Promise<boolean> {
  try {
    await new Deno.Command("nvidia-smi", { args: ["-L"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

Deno.test("doctor on this machine: every section, exit 0, nothing on stderr; --json parses; --strict exits 1 on problems", async () => {
  const [table, json, strict] = await Promise.all([doctor(), doctor("--json"), doctor("--strict")]);
  assertEquals(table.code, 0, table.stderr);
  assertEquals(table.stderr, "");
  for (const s of DOCTOR_SECTIONS) assert(table.stdout.includes(`## ${s}\n`), s);
  assert(/doctor: (no problems|\d+ problems?)/.test(table.stdout), table.stdout);
  assertEquals(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout) as DoctorReport;
  assertEquals(r.versions.deno.installed, Deno.version.deno);
  assertEquals(r.backends.map((b) => b.name), ["tensorflow", "webgpu", "native", "wasm", "cpu"]);
  assert(r.backends.find((b) => b.name === "wasm")!.available, JSON.stringify(r.backends));
  assertEquals(r.system.cores, navigator.hardwareConcurrency);
  assert(r.system.disk !== null && r.system.disk.availableBytes > 0);
  assertEquals(r.profiles.map((p) => p.name), ["demo", "paper", "tiny"]);
  if (!(await hasNvidiaSmi())) {
    assertEquals(r.nvidia, null);
    assert(table.stdout.includes("nvidia-smi is not installed"), table.stdout);
    if (r.auto.backend === "wasm") assert(r.auto.why.includes("no GPU here"), r.auto.why);
  }
  assertEquals(strict.code, r.problems.length > 0 ? 1 : 0);
});
