/**
 * The CUDA 11 / cuDNN 8 libraries libtensorflow 2.9.1 (GPU) opens at run time, where the
 * dynamic loader could find them, and whether the NVIDIA driver is new enough.
 *
 * - tfjs-node-gpu 4.22.0 loads libtensorflow 2.9.1, built for CUDA 11.2 + cuDNN 8.1 (tfjs#8362).
 *   TensorFlow dlopens each library by soname (its dso_loader: `libcudart.so.11.0`,
 *   `libcublas.so.11`, ...); on a CUDA 12 machine the first miss is `libcudart.so.11.0`
 *   (tfjs#8362, tfjs#8187). The list below follows TF 2.9's dso_loader naming; not verified
 *   here against the binary (no libtensorflow on this machine).
 * - Searched, like the loader: `LD_LIBRARY_PATH`, the `ldconfig -p` cache, then the usual
 *   `/usr/local/cuda*\/lib64` and the NVIDIA pip wheel layout `site-packages/nvidia/<x>/lib`
 *   (the last two are only found by TensorFlow when on `LD_LIBRARY_PATH`: the fix says so).
 * - The driver: CUDA 11.x needs >= 450.80.02 on Linux (CUDA 11 minor-version compatibility);
 *   read from `nvidia-smi`.
 *
 * @module
 */
import { join } from "node:path";
import type { SystemView } from "./system_view.ts";

/** One library libtensorflow 2.9.1 GPU opens, and the pip wheel that ships a CUDA 11 build. */
export interface CudaLibSpec {
  /** The soname TensorFlow opens. */
  name: string;
  /** The NVIDIA pip wheel with it (installable beside a CUDA 12 driver). */
  wheel: string;
  /** The wheel's folder under `site-packages/nvidia/`. */
  wheelDir: string;
}

/** What libtensorflow 2.9.1 (GPU) opens (TF 2.9 dso_loader sonames; see the module doc). */
export const CUDA_LIBS: readonly CudaLibSpec[] = [
  { name: "libcudart.so.11.0", wheel: "nvidia-cuda-runtime-cu11", wheelDir: "cuda_runtime" },
  { name: "libcublas.so.11", wheel: "nvidia-cublas-cu11", wheelDir: "cublas" },
  { name: "libcublasLt.so.11", wheel: "nvidia-cublas-cu11", wheelDir: "cublas" },
  { name: "libcufft.so.10", wheel: "nvidia-cufft-cu11", wheelDir: "cufft" },
  { name: "libcurand.so.10", wheel: "nvidia-curand-cu11", wheelDir: "curand" },
  { name: "libcusolver.so.11", wheel: "nvidia-cusolver-cu11", wheelDir: "cusolver" },
  { name: "libcusparse.so.11", wheel: "nvidia-cusparse-cu11", wheelDir: "cusparse" },
  { name: "libcudnn.so.8", wheel: "nvidia-cudnn-cu11<9", wheelDir: "cudnn" },
];

/** Oldest Linux driver for CUDA 11.x (minor-version compatibility; CUDA 11.2 itself: 460.27.03). */
export const MIN_DRIVER_CUDA11 = "450.80.02";

/** A library and where it was found. */
export interface CudaLib {
  /** Soname. */
  name: string;
  /** Whether the loader can find it now (on LD_LIBRARY_PATH or in the ldconfig cache). */
  found: boolean;
  /** Where it is (also when only in a folder the loader does not search: then `found` is false). */
  path?: string;
  /** Where it was seen: LD_LIBRARY_PATH / ldconfig cache (loadable), or only a known folder. */
  via?: "LD_LIBRARY_PATH" | "ldconfig" | "cuda-folder" | "pip-wheel";
}

/** The NVIDIA driver as `nvidia-smi` reports it. */
export interface DriverInfo {
  /** Driver version, e.g. "550.54.15". */
  version: string;
  /** Whether it is >= {@linkcode MIN_DRIVER_CUDA11}. */
  ok: boolean;
  /** {@linkcode MIN_DRIVER_CUDA11}. */
  minimum: string;
  /** GPU names. */
  gpus: string[];
  /** Compute capabilities ("9.0"), where this nvidia-smi reports them. */
  computeCapabilities: string[];
}

/** Options of {@linkcode findCudaLibs}. */
export interface FindCudaLibsOptions {
  /** Extra folders to search as "pip-wheel" roots (`.../site-packages`); default: found via python3. */
  sitePackages?: string[];
}

/** Parses `ldconfig -p` output into soname -> path (first entry wins, like the loader). */
export function parseLdconfig(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)/.exec(line);
    if (!m) continue;
    if (!map.has(m[1])) map.set(m[1], m[3]);
  }
  return map;
}

/** Compares dotted versions numerically: <0, 0, >0. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number), y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Parses `nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader` lines
 * (`compute_cap` is missing on old drivers: then two columns).
 */
export function parseNvidiaSmi(text: string): DriverInfo | null {
  const rows = text.split("\n").map((l) => l.split(",").map((s) => s.trim())).filter((r) =>
    r.length >= 2 && /^\d+\.\d+/.test(r[1])
  );
  if (!rows.length) return null;
  const version = rows[0][1];
  return {
    version,
    ok: compareVersions(version, MIN_DRIVER_CUDA11) >= 0,
    minimum: MIN_DRIVER_CUDA11,
    gpus: rows.map((r) => r[0]),
    computeCapabilities: rows.map((r) => r[2]).filter((c): c is string =>
      /^\d+\.\d+$/.test(c ?? "")
    ),
  };
}

/** The driver from `nvidia-smi`, `null` when there is no nvidia-smi (or it fails). */
export async function nvidiaDriver(system: SystemView): Promise<DriverInfo | null> {
  const full = await system.run("nvidia-smi", [
    "--query-gpu=name,driver_version,compute_cap",
    "--format=csv,noheader",
  ]);
  if (full?.code === 0) return parseNvidiaSmi(full.stdout);
  if (full === undefined) return null;
  // Drivers older than ~510 do not know compute_cap.
  const old = await system.run("nvidia-smi", [
    "--query-gpu=name,driver_version",
    "--format=csv,noheader",
  ]);
  return old?.code === 0 ? parseNvidiaSmi(old.stdout) : null;
}

async function defaultSitePackages(system: SystemView): Promise<string[]> {
  const out = await system.run("python3", [
    "-c",
    "import site,sys;print('\\n'.join(site.getsitepackages()+[site.getusersitepackages()]))",
  ]);
  return out?.code === 0 ? out.stdout.split("\n").map((s) => s.trim()).filter(Boolean) : [];
}

/** Finds each of {@linkcode CUDA_LIBS} (see the module doc for the order). */
export async function findCudaLibs(
  system: SystemView,
  options: FindCudaLibsOptions = {},
): Promise<CudaLib[]> {
  const ldPath = (system.env("LD_LIBRARY_PATH") ?? "").split(":").filter(Boolean);
  const ld = await system.run("ldconfig", ["-p"]) ?? await system.run("/sbin/ldconfig", ["-p"]);
  const cache = ld?.code === 0 ? parseLdconfig(ld.stdout) : new Map<string, string>();
  const cudaDirs = (await system.listDir("/usr/local")).filter((n) => /^cuda(-[\d.]+)?$/.test(n))
    .map((n) => join("/usr/local", n, "lib64"));
  const site = options.sitePackages ?? await defaultSitePackages(system);
  const result: CudaLib[] = [];
  for (const spec of CUDA_LIBS) {
    let hit: CudaLib = { name: spec.name, found: false };
    const tries: [string, NonNullable<CudaLib["via"]>][] = [
      ...ldPath.map((d) => [join(d, spec.name), "LD_LIBRARY_PATH"] as [string, "LD_LIBRARY_PATH"]),
      ...cudaDirs.map((d) => [join(d, spec.name), "cuda-folder"] as [string, "cuda-folder"]),
      ...site.map((s) =>
        [join(s, "nvidia", spec.wheelDir, "lib", spec.name), "pip-wheel"] as [string, "pip-wheel"]
      ),
    ];
    const cached = cache.get(spec.name);
    if (cached) tries.splice(ldPath.length, 0, [cached, "ldconfig"]);
    for (const [path, via] of tries) {
      if (await system.exists(path)) {
        hit = {
          name: spec.name,
          found: via === "LD_LIBRARY_PATH" || via === "ldconfig",
          path,
          via,
        };
        break;
      }
    }
    result.push(hit);
  }
  return result;
}
