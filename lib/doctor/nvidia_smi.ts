/**
 * `nvidia-smi`'s GPUs one by one (name, driver, compute capability, memory) for the doctor's
 * table, and what a GPU's compute capability means for libtensorflow 2.9.1 (the library
 * `@tensorflow/tfjs-node-gpu` 4.22.0 loads). The driver check itself (>= 450.80.02 for CUDA 11)
 * is the tfjs-node diagnosis' (lib/backend/tfjs_node/cuda_libs.ts); this file reuses its
 * version comparison.
 *
 * @module
 */
import { compareVersions, MIN_DRIVER_CUDA11 } from "../backend/tfjs_node/mod.ts";

/** The `nvidia-smi` arguments whose CSV {@linkcode parseNvidiaGpus} reads. */
export const NVIDIA_SMI_ARGS = [
  "--query-gpu=name,driver_version,compute_cap,memory.total",
  "--format=csv,noheader",
];

/**
 * The newest compute capability libtensorflow 2.9.1 ships compiled kernels (SASS) for (TF 2.9's
 * CUDA 11.2 build: up to sm_86; not verified here against the binary); newer GPUs JIT from PTX.
 */
const TF_291_NEWEST_SASS = 8.6;

/** One GPU as `nvidia-smi` lists it. */
export interface NvidiaGpu {
  /** E.g. "NVIDIA H200". */
  name: string;
  /** E.g. "550.54.15". */
  driver: string;
  /** Compute capability, e.g. "9.0" (sm_90); "?" when this nvidia-smi does not report it. */
  computeCap: string;
  /** Memory in MiB (NaN when nvidia-smi did not say). */
  memoryMiB: number;
}

/** Parses `nvidia-smi` with {@linkcode NVIDIA_SMI_ARGS}: one GPU per line. */
export function parseNvidiaGpus(csv: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of csv.split("\n")) {
    if (!line.trim()) continue;
    const [name, driver, computeCap, memory] = line.split(",").map((c) => c.trim());
    gpus.push({
      name: name || "?",
      driver: driver || "?",
      computeCap: computeCap || "?",
      memoryMiB: Number.parseFloat(memory ?? ""),
    });
  }
  return gpus;
}

/** Whether `driver` runs libtensorflow 2.9.1's CUDA 11.2 (>= MIN_DRIVER_CUDA11, 450.80.02). */
export function driverRunsCuda11(driver: string): boolean {
  return compareVersions(driver, MIN_DRIVER_CUDA11) >= 0;
}

/**
 * A note for a GPU newer than libtensorflow 2.9.1's kernels (e.g. sm_90, Hopper), else null:
 * such GPUs run it only through PTX JIT (not verified here).
 */
export function computeCapNote(gpu: NvidiaGpu): string | null {
  const cc = Number.parseFloat(gpu.computeCap);
  if (!Number.isFinite(cc) || cc <= TF_291_NEWEST_SASS) return null;
  return `${gpu.name} is sm_${gpu.computeCap.replace(".", "")}: libtensorflow 2.9.1 has no ` +
    `kernels for it and runs only through PTX JIT (minutes of compiling on first use; ` +
    `not verified here); the webgpu backend is the other route`;
}
