/**
 * Does this machine have a hardware WebGPU adapter? Asked by `setupBackend("auto")` without
 * printing anything.
 *
 * Why this care: asking wgpu for an adapter (`navigator.gpu.requestAdapter`) makes it try every
 * window system, and libwayland then prints `error: XDG_RUNTIME_DIR is invalid or not set in
 * the environment.` straight to the process's stderr (native code: nothing in JavaScript can
 * catch it), on every train / eval / bench. So `auto`
 * 1. does not ask at all where no GPU device file exists (WebGPU could only find a software
 *    renderer there, which `auto` skips anyway), and
 * 2. otherwise asks in a short child process whose stderr is captured, so what wgpu prints ends
 *    up in the backend report (`skipped[]`), not on the user's terminal.
 * Only when a hardware adapter is found does this process open WebGPU itself (to use it).
 *
 * Run as a script (`deno run webgpu_probe.ts`), it prints `{"why": string | null}`.
 *
 * @module
 */

/** What {@linkcode webgpuAdapterReport} found. */
export interface WebgpuAdapterReport {
  /** Why WebGPU cannot be used, or null when an adapter can be. */
  why: string | null;
  /** The adapter's description (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"), or null without one. */
  adapter: string | null;
  /** True when the adapter is a software renderer (llvmpipe, lavapipe, SwiftShader, fallback). */
  software: boolean;
}

/**
 * Asks WebGPU for an adapter in this process. A software renderer counts as unusable unless
 * `allowSoftware` (the explicit opt-in of `setupBackend("webgpu")`, see
 * `WEBGPU_SOFTWARE_ENV_VAR`): it is ~10x slower than wasm, and only tests want it.
 */
export async function webgpuAdapterReport(
  options: { allowSoftware?: boolean } = {},
): Promise<WebgpuAdapterReport> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) {
    return {
      why: "this runtime offers no WebGPU (navigator.gpu is missing)",
      adapter: null,
      software: false,
    };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) return { why: "no WebGPU adapter was found", adapter: null, software: false };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const what = info.description || info.vendor || "unknown adapter";
  const software = info.isFallbackAdapter === true ||
    /llvmpipe|lavapipe|swiftshader|software/i.test(what);
  const why = software && !options.allowSoftware
    ? `the only WebGPU adapter is a software renderer (${what}), ~10x slower than wasm`
    : null;
  return { why, adapter: what, software };
}

/** A short reason when WebGPU has no real hardware adapter, or null when it has one. */
export async function webgpuUnavailable(): Promise<string | null> {
  return (await webgpuAdapterReport()).why;
}

/**
 * Device files a hardware GPU driver creates: DRM render nodes (Mesa, AMD, Intel, NVIDIA
 * open), NVIDIA's proprietary nodes, WSL's GPU paravirtualisation.
 */
const GPU_DEVICE_NODES = ["/dev/dri/renderD*", "/dev/nvidia[0-9]*", "/dev/dxg"];

/** The GPU device files present under `devDir` (Linux only; null elsewhere: no cheap check). */
export function gpuDeviceNodes(devDir = "/dev"): string[] | null {
  if (Deno.build.os !== "linux") return null;
  const found: string[] = [];
  const list = (dir: string): string[] => {
    try {
      return [...Deno.readDirSync(dir)].map((e) => e.name);
    } catch {
      return []; // missing folder, or no --allow-read: treated as no device files there
    }
  };
  const dev = list(devDir);
  for (const n of dev) {
    if (/^nvidia\d+$/.test(n) || n === "dxg") found.push(`${devDir}/${n}`);
  }
  if (dev.includes("dri")) {
    for (const n of list(`${devDir}/dri`)) {
      if (/^renderD\d+$/.test(n)) found.push(`${devDir}/dri/${n}`);
    }
  }
  return found.sort();
}

/** Options of {@linkcode webgpuUnavailableQuietly}. */
export interface QuietProbeOptions {
  /** Where to look for GPU device files (default "/dev"; tests). */
  devDir?: string;
  /** The probe script the child runs (default: this module; tests pass a fake one). */
  probeScript?: string;
}

/**
 * {@linkcode webgpuUnavailable} without stray output (see the module doc): null when a hardware
 * adapter is present, else why not. Without `--allow-run` it asks in this process instead.
 */
export async function webgpuUnavailableQuietly(
  options: QuietProbeOptions = {},
): Promise<string | null> {
  const nodes = gpuDeviceNodes(options.devDir);
  if (nodes !== null && nodes.length === 0) {
    return `no GPU device nodes (${GPU_DEVICE_NODES.join(", ")}): only a software renderer ` +
      "could be found, so WebGPU was not probed";
  }
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-env",
        options.probeScript ?? new URL(import.meta.url).pathname,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch {
    return await webgpuUnavailable(); // no --allow-run (or no deno binary): ask here
  }
  const printed = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "";
  const said = printed ? ` (it printed: ${printed})` : "";
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  try {
    const { why } = JSON.parse(line) as { why: string | null };
    return why === null ? null : why + said;
  } catch {
    return `the WebGPU probe process failed (exit code ${out.code})${said}`;
  }
}

if (import.meta.main) {
  console.log(JSON.stringify({ why: await webgpuUnavailable() }));
}
