/**
 * Every TF.js backend tried for real, and the WebGPU adapters listed, in a child process whose
 * stdout and stderr are captured: wgpu and libtensorflow print to the process's stderr from
 * native code (see lib/backend/webgpu_probe.ts), and the doctor's report must stay clean.
 *
 * Run as a script (`deno run -A backend_probe.ts`), it prints one JSON line
 * ({@linkcode BackendProbeResult}) last.
 *
 * @module
 */
import { BACKEND_ENV_VAR } from "../backend/setup_backend.ts";

/** One backend: whether `setupBackend(name)` succeeds here, and its reason or error. */
export interface BackendStatus {
  /** tensorflow, webgpu, native (oneDNN), wasm or cpu. */
  name: "tensorflow" | "webgpu" | "native" | "wasm" | "cpu";
  /** Whether setupBackend(name) succeeded. */
  available: boolean;
  /** Its reason when available, else the error message (what is missing). */
  detail: string;
}

/** One WebGPU adapter. */
export interface WebgpuAdapter {
  /** The description (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)", "NVIDIA H200"). */
  name: string;
  /** Vendor as WebGPU reports it. */
  vendor: string;
  /** Architecture as WebGPU reports it. */
  architecture: string;
  /** A software renderer (isFallbackAdapter, llvmpipe, lavapipe, SwiftShader). */
  software: boolean;
}

/** What the child process found. */
export interface BackendProbeResult {
  backends: BackendStatus[];
  adapters: WebgpuAdapter[];
  /** Why no adapter could be listed (no navigator.gpu, none found), else null. */
  adaptersNote: string | null;
  /** The first line the child printed on stderr, if any (what wgpu / libtensorflow said). */
  printed?: string;
  /** Why the probe itself failed (it crashed or timed out): then nothing above was probed. */
  failed?: string;
}

/** Whether an adapter description names a software renderer. */
export function isSoftwareAdapter(name: string, isFallback = false): boolean {
  return isFallback || /llvmpipe|lavapipe|swiftshader|software/i.test(name);
}

async function listAdapters(): Promise<Pick<BackendProbeResult, "adapters" | "adaptersNote">> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return { adapters: [], adaptersNote: "this runtime offers no WebGPU" };
  const adapters: WebgpuAdapter[] = [];
  for (const powerPreference of ["high-performance", "low-power"] as const) {
    const a = await gpu.requestAdapter({ powerPreference });
    if (!a) continue;
    const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const name = info.description || info.device || info.vendor || "unknown adapter";
    if (adapters.some((x) => x.name === name)) continue;
    adapters.push({
      name,
      vendor: info.vendor || "",
      architecture: info.architecture || "",
      software: isSoftwareAdapter(name, info.isFallbackAdapter),
    });
  }
  return { adapters, adaptersNote: adapters.length ? null : "no WebGPU adapter was found" };
}

async function probeHere(): Promise<BackendProbeResult> {
  Deno.env.delete(BACKEND_ENV_VAR);
  const { setupBackend } = await import("../backend/setup_backend.ts");
  const backends: BackendStatus[] = [];
  for (const name of ["tensorflow", "webgpu", "native", "wasm", "cpu"] as const) {
    try {
      const c = await setupBackend(name, { env: {} });
      const kernels = c.registeredKernels.length
        ? ` (+${c.registeredKernels.length} kernels of ours)`
        : "";
      backends.push({ name, available: true, detail: c.reason + kernels });
    } catch (e) {
      backends.push({ name, available: false, detail: (e as Error).message.split("\n")[0] });
    }
  }
  return { backends, ...await listAdapters() };
}

/** Options of {@linkcode probeBackends}. */
export interface ProbeBackendsOptions {
  /** The script the child runs (default: this module; tests pass a fake). */
  script?: string;
  /** Give up after this many milliseconds (default 120000). */
  timeoutMs?: number;
}

/** The result when the probe process itself failed: every backend "not probed". */
function notProbed(failed: string, printed: string): BackendProbeResult {
  const names = ["tensorflow", "webgpu", "native", "wasm", "cpu"] as const;
  return {
    backends: names.map((name) => ({ name, available: false, detail: `not probed: ${failed}` })),
    adapters: [],
    adaptersNote: `not probed: ${failed}`,
    failed,
    ...(printed ? { printed } : {}),
  };
}

/**
 * Runs this module in a child process and returns what it found. Never prints and never throws:
 * a crashed or timed-out child comes back as `failed` (with what it printed).
 */
export async function probeBackends(
  options: ProbeBackendsOptions = {},
): Promise<BackendProbeResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const late = `the backend probe process took longer than ${timeoutMs / 1000} s`;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", options.script ?? new URL(import.meta.url).pathname],
      stdout: "piped",
      stderr: "piped",
      env: { [BACKEND_ENV_VAR]: "" },
      signal,
    }).output();
  } catch (e) {
    return notProbed(
      signal.aborted ? late : `the backend probe process could not start: ${(e as Error).message}`,
      "",
    );
  }
  if (signal.aborted) {
    return notProbed(late, new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "");
  }
  const dec = new TextDecoder();
  const printed = dec.decode(out.stderr).trim().split("\n")[0] ?? "";
  const line = dec.decode(out.stdout).trim().split("\n").pop() ?? "";
  try {
    const r = JSON.parse(line) as BackendProbeResult;
    if (!Array.isArray(r.backends)) throw new Error("no backends");
    return printed ? { ...r, printed } : r;
  } catch {
    return notProbed(`the backend probe process failed (exit code ${out.code})`, printed);
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await probeHere()));
}
