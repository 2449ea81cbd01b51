import { assert, assertEquals } from "../../tests/support/assert.ts";
import { isSoftwareAdapter, probeBackends } from "./backend_probe.ts";

async function withScript(code: string, f: (script: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "backend_probe_" });
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, code);
    await f(`${dir}/probe.ts`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("probeBackends: a crashing probe comes back as failed with what it printed, not thrown", async () => {
  await withScript(
    `console.error("error: XDG_RUNTIME_DIR is invalid or not set"); Deno.exit(3);`,
    async (script) => {
      const r = await probeBackends({ script });
      assert(r.failed?.includes("exit code 3"), r.failed);
      assertEquals(r.printed, "error: XDG_RUNTIME_DIR is invalid or not set");
      assertEquals(r.backends.map((b) => b.available), [false, false, false, false, false]);
    },
  );
});

Deno.test("probeBackends: a probe that hangs is cut at the timeout", async () => {
  await withScript(`await new Promise((r) => setTimeout(r, 60_000));`, async (script) => {
    const r = await probeBackends({ script, timeoutMs: 1500 });
    assert(r.failed?.includes("longer than 1.5 s"), r.failed);
  });
});

Deno.test("probeBackends: the child's JSON line is read after other output, stderr captured", async () => {
  await withScript(
    `console.log("noise"); console.error("wgpu says hi");
     console.log(JSON.stringify({ backends: [{ name: "cpu", available: true, detail: "ok" }], adapters: [], adaptersNote: "none" }));`,
    async (script) => {
      const r = await probeBackends({ script });
      assertEquals(r.failed, undefined);
      assertEquals(r.backends, [{ name: "cpu", available: true, detail: "ok" }]);
      assertEquals(r.printed, "wgpu says hi");
    },
  );
});

Deno.test("isSoftwareAdapter: llvmpipe, lavapipe, SwiftShader, fallback; not a real GPU", () => {
  assert(isSoftwareAdapter("llvmpipe (LLVM 15.0.6, 256 bits)"));
  assert(isSoftwareAdapter("lavapipe"));
  assert(isSoftwareAdapter("SwiftShader Device (Subzero)"));
  assert(isSoftwareAdapter("whatever", true));
  assert(!isSoftwareAdapter("NVIDIA H200"));
});
