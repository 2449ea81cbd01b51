import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/support/assert.ts";
import * as tf from "@tensorflow/tfjs-core";
import {
  BACKEND_ENV_VAR,
  BackendError,
  parseBackendName,
  setupBackend,
  WEBGPU_SOFTWARE_ENV_VAR,
} from "./setup_backend.ts";
import { gpuDeviceNodes, webgpuUnavailableQuietly } from "./webgpu_probe.ts";
import { repoRoot } from "../io/repo_root.ts";
import { join } from "node:path";
import { CUDA_LIBS } from "./tfjs_node/mod.ts";
import { DNNL_LIBRARY_ENV_VAR } from "./native/mod.ts";
import {
  fakeLibs,
  fakeSystem,
  type FakeTfjsNodeLayout,
  makeFakeTfjsNode,
} from "../../tests/support/tfjs_node_layout.ts";

Deno.test("parseBackendName accepts every valid name, any case", () => {
  for (const n of ["auto", "tensorflow", "webgpu", "native", "wasm", "cpu"]) {
    assertEquals(parseBackendName(n.toUpperCase()), n);
  }
});

Deno.test("an unknown backend name is an error that lists the valid names", () => {
  const e = assertThrows(() => parseBackendName("cuda"), BackendError);
  assert(e.message.includes("'cuda'"));
  assert(e.message.includes("auto, tensorflow, webgpu, native, wasm, cpu"), e.message);
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
  assert(e.message.includes("is installed under"), e.message);
  assert(e.message.includes("npm install @tensorflow/tfjs-node-gpu"), e.message);
});

/** setupBackend("tensorflow") on a fake install under a temp root: the error it gives. */
async function tensorflowError(
  layout: FakeTfjsNodeLayout | null,
  libs: readonly string[] = CUDA_LIBS.map((l) => l.name),
): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "tfnode_setup_" });
  try {
    if (layout) await makeFakeTfjsNode(root, layout);
    const cuda = await fakeLibs(join(root, "cuda11"), libs);
    const system = fakeSystem({
      nvidiaSmi: "NVIDIA H200, 550.54.15, 9.0",
      env: { LD_LIBRARY_PATH: cuda },
    });
    const tfjsNode = { root, system, runtimeNapi: 10, sitePackages: [] };
    const e = await assertRejects(
      () => setupBackend("tensorflow", { env: {}, tfjsNode }),
      BackendError,
    );
    return e.message;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("setupBackend('tensorflow') names the missing piece of a tfjs-node install, and its fix", async () => {
  const absent = await tensorflowError(null);
  assert(absent.includes("neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node"), absent);
  assert(absent.includes("--allow-scripts"), absent);
  const noBinding = await tensorflowError({ bindingIn: [] });
  assert(noBinding.includes("no native binding (tfjs_binding.node)"), noBinding);
  const misplaced = await tensorflowError({ bindingIn: ["lib/napi-v6"] });
  assert(misplaced.includes("deno task fix-tfjs-node"), misplaced);
  assert(misplaced.includes("napi-v8"), misplaced);
  const noLib = await tensorflowError({ libtensorflow: "none" });
  assert(noLib.includes("libtensorflow 2.9.1 is missing"), noLib);
  const noCudnn = await tensorflowError({}, ["libcudart.so.11.0", "libcublas.so.11"]);
  assert(noCudnn.includes("libcudnn.so.8") && noCudnn.includes("libcufft.so.10"), noCudnn);
  assert(!noCudnn.includes("needs libcudart.so.11.0"), noCudnn);
  assert(noCudnn.includes("ARCFACE_BACKEND=auto"), noCudnn); // libtensorflow on the CPU instead
});

Deno.test("auto does not let missing CUDA libraries stop tfjs-node-gpu: it tries the import", async () => {
  const root = await Deno.makeTempDir({ prefix: "tfnode_auto_gpu_" });
  try {
    await makeFakeTfjsNode(root); // complete but for the CUDA libraries
    const system = fakeSystem({ nvidiaSmi: "NVIDIA H200, 550.54.15, 9.0" });
    const tfjsNode = { root, system, runtimeNapi: 10, sitePackages: [] };
    const choice = await setupBackend(undefined, { env: {}, devDir: root, tfjsNode });
    if (choice.name === "tensorflow") return; // the real tfjs-node-gpu is installed here
    const why = choice.skipped[0].why;
    // The diagnosis let it through (only "no GPU" problems); the import itself then failed
    // because the fake package is not in this repository's node_modules.
    assert(why.includes("looked complete but its import failed"), why);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** An environment in which oneDNN is missing (a machine without libdnnl2). */
const NO_DNNL = { [DNNL_LIBRARY_ENV_VAR]: "/nonexistent/libdnnl.so.2" };

Deno.test("auto falls back to wasm without oneDNN, says why for each skipped backend, registers kernels", async () => {
  const root = await Deno.makeTempDir({ prefix: "tfnode_auto_" }); // no tfjs-node there
  const choice = await setupBackend(undefined, { env: NO_DNNL, tfjsNode: { root } });
  await Deno.remove(root, { recursive: true });
  if (choice.name !== "wasm") return; // a GPU machine: auto rightly picked something faster
  assertEquals(choice.requested, "auto");
  assertEquals(choice.source, "default");
  assertEquals(choice.skipped.map((s) => s.name), ["tensorflow", "webgpu", "native"]);
  assert(
    choice.skipped[2].why.startsWith("oneDNN not found: sudo apt-get install libdnnl2"),
    choice.skipped[2].why,
  );
  for (const s of choice.skipped) assert(s.why.length > 10, s.why);
  // The diagnosis, not a failed import, says why tensorflow was skipped.
  assert(
    choice.skipped[0].why.includes("neither @tensorflow/tfjs-node-gpu"),
    choice.skipped[0].why,
  );
  assert(choice.reason.includes("wasm"));
  assertEquals(tf.getBackend(), "wasm");
  assert(
    choice.registeredKernels.includes("Conv2DBackpropFilter"),
    choice.registeredKernels.join(),
  );
});

Deno.test("native asked for by name without oneDNN is an error saying what to install", async () => {
  const e = await assertRejects(() => setupBackend("native", { env: NO_DNNL }), BackendError);
  assert(e.message.includes("Backend 'native' cannot be used"), e.message);
  assert(e.message.includes("oneDNN not found: sudo apt-get install libdnnl2"), e.message);
  assert(e.message.includes("/nonexistent/libdnnl.so.2"), e.message);
  const byOption = await assertRejects(
    () => setupBackend("native", { env: {}, dnnlLibrary: "/nonexistent/libdnnl.so.2" }),
    BackendError,
  );
  assert(byOption.message.includes("sudo apt-get install libdnnl2"), byOption.message);
});

Deno.test("auto picks native where oneDNN loads (after tfjs-node and webgpu), listing its kernels", async () => {
  const root = await Deno.makeTempDir({ prefix: "tfnode_auto_native_" }); // no tfjs-node there
  const dev = Deno.makeTempDirSync(); // no GPU device files: webgpu is skipped
  try {
    const choice = await setupBackend(undefined, { env: {}, devDir: dev, tfjsNode: { root } });
    if (choice.skipped.some((s) => s.name === "native")) return; // no libdnnl2 on this machine
    assertEquals(choice.name, "native");
    assertEquals(choice.skipped.map((s) => s.name), ["tensorflow", "webgpu"]);
    assertEquals(tf.getBackend(), "native");
    for (const k of ["Conv2D", "BatchMatMul", "FusedBatchNorm", "ArcfaceBatchNormTrain"]) {
      assert(choice.registeredKernels.includes(k), choice.registeredKernels.join());
    }
    const byName = await setupBackend("native", { env: {} });
    assertEquals(byName.name, "native");
    assertEquals(byName.registeredKernels, choice.registeredKernels);
  } finally {
    await Deno.remove(root, { recursive: true });
    Deno.removeSync(dev, { recursive: true });
    await setupBackend("wasm", { env: {} });
  }
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

Deno.test("webgpu by name on a software adapter loads with the opt-in (option or env); auto still refuses", async () => {
  const gpu = (globalThis.navigator as { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return; // no WebGPU adapter at all: nothing to opt in to
  const e = await assertRejects(() => setupBackend("webgpu", { env: {} }), BackendError);
  if (!/software renderer/.test(e.message)) return; // a hardware adapter: no opt-in needed
  assert(e.message.includes(`${WEBGPU_SOFTWARE_ENV_VAR}=1`), e.message);
  const byOption = await setupBackend("webgpu", { env: {}, allowSoftwareAdapter: true });
  assertEquals(byOption.name, "webgpu");
  assert(byOption.reason.includes("software adapter"), byOption.reason);
  const byEnv = await setupBackend(undefined, {
    env: { [BACKEND_ENV_VAR]: "webgpu", [WEBGPU_SOFTWARE_ENV_VAR]: "1" },
  });
  assertEquals(byEnv.name, "webgpu");
  assertEquals(tf.getBackend(), "webgpu");
  // The option wins over the environment.
  await assertRejects(
    () =>
      setupBackend("webgpu", {
        env: { [WEBGPU_SOFTWARE_ENV_VAR]: "1" },
        allowSoftwareAdapter: false,
      }),
    BackendError,
  );
  // auto never takes a software adapter, opt-in or not.
  const auto = await setupBackend("auto", {
    env: { [WEBGPU_SOFTWARE_ENV_VAR]: "1" },
    allowSoftwareAdapter: true,
  });
  assert(auto.name !== "webgpu", auto.reason);
  await setupBackend("wasm", { env: {} });
});

Deno.test("gpuDeviceNodes finds render nodes, NVIDIA and WSL device files, nothing else", () => {
  if (Deno.build.os !== "linux") return;
  const dev = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dev}/dri`);
    for (const f of ["dri/renderD128", "dri/card0", "nvidia0", "nvidiactl", "null"]) {
      Deno.writeTextFileSync(`${dev}/${f}`, "");
    }
    assertEquals(gpuDeviceNodes(dev), [`${dev}/dri/renderD128`, `${dev}/nvidia0`]);
    assertEquals(gpuDeviceNodes(`${dev}/missing`), []);
  } finally {
    Deno.removeSync(dev, { recursive: true });
  }
});

Deno.test("auto without GPU device files does not probe WebGPU and says so in skipped[]", async () => {
  if (Deno.build.os !== "linux") return;
  const dev = Deno.makeTempDirSync(); // an empty /dev: no GPU here
  try {
    const choice = await setupBackend("auto", { env: NO_DNNL, devDir: dev });
    if (choice.name !== "wasm") return; // tfjs-node is installed: webgpu was never reached
    const webgpu = choice.skipped.find((s) => s.name === "webgpu");
    assert(webgpu?.why.includes("no GPU device nodes"), webgpu?.why);
  } finally {
    Deno.removeSync(dev, { recursive: true });
  }
});

Deno.test("setupBackend('auto') prints nothing to stderr, even without XDG_RUNTIME_DIR", async () => {
  // The WebGPU probe used to make libwayland print "error: XDG_RUNTIME_DIR is invalid or not
  // set in the environment." on every train / eval / bench; run it as a user would.
  const code = `import { setupBackend } from "./lib/backend/mod.ts";\n` +
    `const c = await setupBackend("auto", { env: {} });\n` +
    `console.log(JSON.stringify(c.skipped.map((s) => s.name)));`;
  const env = { ...Deno.env.toObject() };
  delete env.XDG_RUNTIME_DIR;
  delete env[BACKEND_ENV_VAR];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    cwd: repoRoot(),
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, stderr);
  assertEquals(stderr, "");
});

Deno.test("with GPU device files, the probe runs in a child process and reports what it printed", async () => {
  if (Deno.build.os !== "linux") return;
  const dev = Deno.makeTempDirSync(); // pretend a render node exists: the real probe runs
  try {
    Deno.mkdirSync(`${dev}/dri`);
    Deno.writeTextFileSync(`${dev}/dri/renderD128`, "");
    const why = await webgpuUnavailableQuietly({ devDir: dev });
    if (why === null) return; // a real hardware adapter: nothing more to check here
    assert(/software renderer|no WebGPU|probe process/.test(why), why);
  } finally {
    Deno.removeSync(dev, { recursive: true });
  }
});

Deno.test("what the WebGPU probe prints lands in its reason, not on stderr", async () => {
  if (Deno.build.os !== "linux") return;
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/dri`);
    Deno.writeTextFileSync(`${dir}/dri/renderD128`, "");
    const probeScript = `${dir}/probe.ts`; // what wgpu + libwayland do without XDG_RUNTIME_DIR
    Deno.writeTextFileSync(
      probeScript,
      'console.error("error: XDG_RUNTIME_DIR is invalid or not set in the environment.");\n' +
        'console.log(JSON.stringify({ why: "no WebGPU adapter was found" }));\n',
    );
    const why = await webgpuUnavailableQuietly({ devDir: dir, probeScript });
    assertEquals(
      why,
      "no WebGPU adapter was found (it printed: error: XDG_RUNTIME_DIR is invalid or not set " +
        "in the environment.)",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
