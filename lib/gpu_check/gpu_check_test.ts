import { assert, assertRejects } from "../../tests/support/assert.ts";
import { BackendError } from "../backend/mod.ts";
import { webgpuUnavailable } from "../backend/webgpu_probe.ts";
import { setupCheckBackend } from "./gpu_check.ts";

Deno.test("gpu-check backend: a software adapter without --allow-software is refused, naming the flag", async () => {
  const why = await webgpuUnavailable();
  if (!why?.includes("software")) return; // a hardware adapter (or none): nothing to refuse here
  const e = await assertRejects(() => setupCheckBackend("webgpu"), BackendError);
  assert(/software renderer/.test(e.message) && e.message.includes("--allow-software"), e.message);
});
