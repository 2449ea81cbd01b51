import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/support/assert.ts";
import * as tf from "@tensorflow/tfjs-core";
import { BackendError, parseBackendName, setupBackend } from "./setup_backend.ts";

Deno.test("parseBackendName accepts every valid name, any case", () => {
  for (const n of ["auto", "tensorflow", "webgpu", "wasm", "cpu"]) {
    assertEquals(parseBackendName(n.toUpperCase()), n);
  }
});

Deno.test("an unknown backend name is an error that lists the valid names", () => {
  const e = assertThrows(() => parseBackendName("cuda"), BackendError);
  assert(e.message.includes("'cuda'"));
  assert(e.message.includes("auto, tensorflow, webgpu, wasm, cpu"), e.message);
});

Deno.test("setupBackend rejects an unknown name from the environment, naming the variable", async () => {
  const e = await assertRejects(
    () => setupBackend("wasm", { env: { ARCFACE_BACKEND: "gpu" } }),
    BackendError,
  );
  assert(e.message.includes("ARCFACE_BACKEND"), e.message);
});

Deno.test("the environment variable overrides the requested backend", async () => {
  const choice = await setupBackend("wasm", { env: { ARCFACE_BACKEND: "cpu" } });
  assertEquals(choice.name, "cpu");
  assertEquals(choice.source, "environment");
  assertEquals(tf.getBackend(), "cpu");
  assertEquals(choice.registeredKernels, []);
});

Deno.test("tensorflow asked for by name does not fall back and says why", async () => {
  // tfjs-node cannot be installed on this machine (its install downloads libtensorflow).
  let have = true;
  try {
    await import("@tensorflow/tfjs-node");
  } catch {
    have = false;
  }
  if (have) return; // a machine with tfjs-node: nothing to check here
  const e = await assertRejects(() => setupBackend("tensorflow", { env: {} }), BackendError);
  assert(e.message.includes("not installed"), e.message);
  assert(e.message.includes("npm install @tensorflow/tfjs-node-gpu"), e.message);
});

Deno.test("auto falls back to wasm here, says why for each skipped backend, registers kernels", async () => {
  const choice = await setupBackend(undefined, { env: {} });
  if (choice.name !== "wasm") return; // a GPU machine: auto rightly picked something faster
  assertEquals(choice.requested, "auto");
  assertEquals(choice.source, "default");
  assertEquals(choice.skipped.map((s) => s.name), ["tensorflow", "webgpu"]);
  for (const s of choice.skipped) assert(s.why.length > 10, s.why);
  assert(choice.reason.includes("wasm"));
  assertEquals(tf.getBackend(), "wasm");
  assert(
    choice.registeredKernels.includes("Conv2DBackpropFilter"),
    choice.registeredKernels.join(),
  );
});

Deno.test("webgpu asked for by name on a software adapter is refused with the reason", async () => {
  const gpu = (globalThis.navigator as { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter();
  const info = adapter?.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  if (adapter && !info?.isFallbackAdapter && !/llvmpipe|lavapipe/i.test(info?.description ?? "")) {
    return; // a real GPU adapter: webgpu is allowed there
  }
  const e = await assertRejects(() => setupBackend("webgpu", { env: {} }), BackendError);
  assert(/software renderer|no WebGPU/.test(e.message), e.message);
  await setupBackend("wasm", { env: {} });
});
