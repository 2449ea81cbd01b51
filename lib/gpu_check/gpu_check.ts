/**
 * The GPU check (`deno task gpu-check`): webgpu training steps of MobileFaceNet and ResNet50 at
 * batch 64 and 128 (ArcHead, through lib/bench's {@linkcode measureTraining}: the trainer's own
 * step) and inference, img/s and memory, the backend report, the WebGPU adapters and
 * `nvidia-smi`'s GPUs; beside it the PyTorch peer (torch_peer.py) when python3 has torch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { BackendError, setupBackend } from "../backend/mod.ts";
import { webgpuUnavailable } from "../backend/webgpu_probe.ts";
import { systemView } from "../backend/tfjs_node/system_view.ts";
import {
  type BackendProbeResult,
  isSoftwareAdapter,
  type NvidiaGpu,
  nvidiaSmi,
  parseNvidiaGpus,
  probeBackends,
} from "../doctor/mod.ts";
import { measureInference, measureTraining, type ThroughputResult } from "../bench/mod.ts";
import type { BackboneName } from "../models/mod.ts";
import { runTorchPeer, type TorchPeerReport } from "../bench/torch_peer.ts";

/** Environment variable of setupBackend's software-adapter opt-in (`--allow-software` sets it). */
export { WEBGPU_SOFTWARE_ENV_VAR as ALLOW_SOFTWARE_ENV_VAR } from "../backend/mod.ts";

/** Options of {@linkcode runGpuCheck}. */
export interface GpuCheckOptions {
  /** Backend (default "webgpu"). */
  backend?: string;
  /** Allow a software WebGPU adapter (llvmpipe, lavapipe): only to test the check itself. */
  allowSoftware?: boolean;
  /** Networks (default MobileFaceNet, ResNet50). */
  networks?: BackboneName[];
  /** Training batches (default 64, 128). */
  batches?: number[];
  /** Inference batch (default 128). */
  inferBatch?: number;
  /** Timed seconds per measurement (default 10). */
  seconds?: number;
  /** Untimed warm-up steps (default 2). */
  warmup?: number;
  /** Fewest timed steps (default 3). */
  minSteps?: number;
  /** ArcHead classes (default 1000). */
  classes?: number;
  /** Run the PyTorch peer when python3 has torch (default true). */
  torch?: boolean;
  /** python3 to ask for torch (default "python3"). */
  python?: string;
  /** Called with a progress line (the CLI prints it on stderr). */
  onProgress?: (line: string) => void;
}

/** One measurement of ours, with the memory the backend reported after it. */
export interface GpuCheckRow extends ThroughputResult {
  /** tf.memory() after the measurement (webgpu: numBytesInGPU included). */
  memory: Record<string, unknown>;
  /** Set instead of the numbers when the measurement failed (e.g. out of GPU memory). */
  error?: string;
}

/** What the check found, as written to JSON. */
export interface GpuCheckReport {
  time: string;
  deno: string;
  backend: { name: string; reason: string; software: boolean };
  adapter: { name: string; vendor: string; architecture: string; software: boolean } | null;
  probe: BackendProbeResult;
  nvidia: NvidiaGpu[] | { failed: string } | null;
  rows: GpuCheckRow[];
  torch: TorchPeerReport;
}

/**
 * Sets up the check's backend. A software WebGPU adapter is refused unless `allowSoftware`
 * (passed on as setupBackend's `allowSoftwareAdapter` opt-in; the refusal names the flag).
 */
export async function setupCheckBackend(
  name: string,
  options: { allowSoftware?: boolean } = {},
): Promise<{ name: string; reason: string; software: boolean }> {
  if (name !== "webgpu") {
    const c = await setupBackend(name);
    return { name: c.name, reason: c.reason, software: false };
  }
  try {
    const c = await setupBackend("webgpu", {
      env: {},
      allowSoftwareAdapter: options.allowSoftware === true,
    });
    const why = await webgpuUnavailable();
    return { name: c.name, reason: c.reason, software: why !== null };
  } catch (e) {
    const why = await webgpuUnavailable();
    if (e instanceof BackendError && why?.includes("software") && !options.allowSoftware) {
      throw new BackendError(
        `${e.message} To test the check itself on it: deno task gpu-check --allow-software.`,
      );
    }
    throw e;
  }
}

async function adapterInfo(): Promise<GpuCheckReport["adapter"]> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  const a = await gpu?.requestAdapter({ powerPreference: "high-performance" });
  if (!a) return null;
  const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = info.description || info.device || info.vendor || "unknown adapter";
  return {
    name,
    vendor: info.vendor,
    architecture: info.architecture,
    software: isSoftwareAdapter(name, info.isFallbackAdapter),
  };
}

async function nvidiaGpus(): Promise<GpuCheckReport["nvidia"]> {
  const r = await nvidiaSmi(systemView());
  if (r === undefined) return null;
  return "csv" in r ? parseNvidiaGpus(r.csv) : r;
}

function failedRow(
  network: BackboneName,
  mode: "train" | "infer",
  batch: number,
  e: unknown,
): GpuCheckRow {
  return {
    network,
    mode,
    backend: tf.getBackend(),
    batch,
    steps: 0,
    imagesPerSec: NaN,
    meanImagesPerSec: NaN,
    medianStepMs: NaN,
    peakTensorBytes: NaN,
    wasmHeapBytes: null,
    modelParams: NaN,
    memory: { ...tf.memory() },
    error: (e instanceof Error ? e.message : String(e)).split("\n")[0],
  };
}

/**
 * Runs the check: probe (child process), backend, adapter, nvidia-smi, our measurements, then
 * the PyTorch peer. A measurement that fails (out of memory) is a row with `error`, not a crash.
 */
export async function runGpuCheck(options: GpuCheckOptions = {}): Promise<GpuCheckReport> {
  const say = options.onProgress ?? (() => {});
  const networks = options.networks ?? ["MobileFaceNet", "ResNet50"];
  const batches = options.batches ?? [64, 128];
  const inferBatch = options.inferBatch ?? 128;
  const timing = {
    seconds: options.seconds ?? 10,
    warmup: options.warmup ?? 2,
    minSteps: options.minSteps ?? 3,
  };
  say("probing backends (child process)...");
  const probe = await probeBackends();
  const nvidia = await nvidiaGpus();
  const backend = await setupCheckBackend(options.backend ?? "webgpu", options);
  const adapter = backend.name === "webgpu" ? await adapterInfo() : null;
  const rows: GpuCheckRow[] = [];
  for (const network of networks) {
    for (const batch of batches) {
      say(`${network} train batch ${batch}...`);
      try {
        const r = await measureTraining(network, {
          ...timing,
          batch,
          numClasses: options.classes ?? 1000,
        });
        rows.push({ ...r, memory: { ...tf.memory() } });
      } catch (e) {
        rows.push(failedRow(network, "train", batch, e));
      }
    }
    say(`${network} infer batch ${inferBatch}...`);
    try {
      const r = await measureInference(network, {
        ...timing,
        seconds: Math.max(timing.seconds / 2, Math.min(3, timing.seconds)),
        batch: inferBatch,
      });
      rows.push({ ...r, memory: { ...tf.memory() } });
    } catch (e) {
      rows.push(failedRow(network, "infer", inferBatch, e));
    }
  }
  const torch = options.torch === false
    ? { available: false as const, why: "not asked for (--no-torch)" }
    : await runTorchPeer({
      python: options.python,
      networks,
      batches,
      inferBatch,
      seconds: timing.seconds,
      warmup: timing.warmup,
      classes: options.classes ?? 1000,
      onProgress: say,
    });
  return {
    time: new Date().toISOString(),
    deno: Deno.version.deno,
    backend,
    adapter,
    probe,
    nvidia,
    rows,
    torch,
  };
}
