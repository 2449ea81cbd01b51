/**
 * `nvidia-smi`'s answer, parsed: the GPUs, their driver and compute capability, and what that
 * means for libtensorflow 2.9.1 (the library `@tensorflow/tfjs-node-gpu` 4.22.0 loads).
 *
 * @module
 */

/** The `nvidia-smi` arguments whose CSV {@linkcode parseNvidiaSmi} reads. */
export const NVIDIA_SMI_ARGS = [
  "--query-gpu=name,driver_version,compute_cap,memory.total",
  "--format=csv,noheader",
];

/**
 * The oldest Linux driver that runs CUDA 11.x applications (CUDA minor-version compatibility;
 * libtensorflow 2.9.1 is built for CUDA 11.2 + cuDNN 8.1, tfjs#8362).
 */
export const MIN_DRIVER_CUDA_11 = "450.80.02";

/** Compute capabilities libtensorflow 2.9.1 ships kernels (SASS) for; newer ones JIT from PTX. */
const TF_291_NEWEST_SASS = 8.6;

/** One GPU as `nvidia-smi` lists it. */
export interface NvidiaGpu {
  /** E.g. "NVIDIA H200". */
  name: string;
  /** E.g. "550.54.15". */
  driver: string;
  /** Compute capability, e.g. "9.0" (sm_90). */
  computeCap: string;
  /** Memory in MiB (NaN when nvidia-smi did not say). */
  memoryMiB: number;
}

/** Parses `nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader`. */
export function parseNvidiaSmi(csv: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of csv.split("\n")) {
    if (!line.trim()) continue;
    const [name, driver, computeCap, memory] = line.split(",").map((c) => c.trim());
    gpus.push({
      name: name ?? "?",
      driver: driver ?? "?",
      computeCap: computeCap ?? "?",
      memoryMiB: Number.parseFloat(memory ?? ""),
    });
  }
  return gpus;
}

/** Compares dotted version strings numerically (-1, 0, 1). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return Math.sign(d);
  }
  return 0;
}

/** Whether `driver` can run libtensorflow 2.9.1's CUDA 11.2 (>= {@linkcode MIN_DRIVER_CUDA_11}). */
export function driverRunsCuda11(driver: string): boolean {
  return compareVersions(driver, MIN_DRIVER_CUDA_11) >= 0;
}

/**
 * A note for a GPU newer than libtensorflow 2.9.1's kernels (e.g. sm_90, Hopper), else null:
 * such GPUs run only through PTX JIT (slow first start, not verified here).
 */
export function computeCapNote(gpu: NvidiaGpu): string | null {
  const cc = Number.parseFloat(gpu.computeCap);
  if (!Number.isFinite(cc) || cc <= TF_291_NEWEST_SASS) return null;
  return `${gpu.name} is sm_${gpu.computeCap.replace(".", "")}: libtensorflow 2.9.1 has no ` +
    `kernels for it and runs only through PTX JIT (minutes of compiling on first use; ` +
    `not verified here); the webgpu backend is the other route`;
}
