/**
 * The CUDA / cuDNN libraries libtensorflow 2.9.1 opens (CUDA 11.2 + cuDNN 8.1: tfjs#8362), the
 * NVIDIA pip wheel that provides each (for a CUDA 12 machine: the CUDA 11 runtime installs beside
 * a newer driver), and where the dynamic loader can find them (`ldconfig -p` plus
 * `LD_LIBRARY_PATH`).
 *
 * The wheel names are the `-cu11` family on PyPI (PyPI is not reachable here: not verified
 * here); their libraries land in `site-packages/nvidia/<part>/lib`, which must be put on
 * `LD_LIBRARY_PATH`.
 *
 * @module
 */

/** One library libtensorflow 2.9.1 needs, and the pip wheel that ships it. */
export interface CudaLibNeed {
  /** The soname the loader looks for, e.g. "libcudart.so.11.0". */
  name: string;
  /** The NVIDIA pip wheel that provides it, e.g. "nvidia-cuda-runtime-cu11". */
  wheel: string;
}

/** What libtensorflow 2.9.1 dlopens on a GPU (TensorFlow 2.9's dso_loader sonames). */
export const TF_291_CUDA_LIBS: readonly CudaLibNeed[] = [
  { name: "libcudart.so.11.0", wheel: "nvidia-cuda-runtime-cu11" },
  { name: "libcublas.so.11", wheel: "nvidia-cublas-cu11" },
  { name: "libcublasLt.so.11", wheel: "nvidia-cublas-cu11" },
  { name: "libcufft.so.10", wheel: "nvidia-cufft-cu11" },
  { name: "libcurand.so.10", wheel: "nvidia-curand-cu11" },
  { name: "libcusolver.so.11", wheel: "nvidia-cusolver-cu11" },
  { name: "libcusparse.so.11", wheel: "nvidia-cusparse-cu11" },
  { name: "libcudnn.so.8", wheel: "nvidia-cudnn-cu11==8.9.*" },
];

/** A needed library: found or not, and where. */
export interface CudaLibStatus {
  /** The soname. */
  name: string;
  /** Whether the loader can find it. */
  found: boolean;
  /** Where (when found). */
  path?: string;
}

/** Parses `ldconfig -p` into soname -> path (first wins, as the loader's cache does). */
export function parseLdconfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\s*(\S+)\s+\(.*\)\s+=>\s+(\S+)/.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * Which of {@linkcode TF_291_CUDA_LIBS} the loader finds: in the folders of `ldLibraryPath`
 * (searched first, as ld.so does; `listDir` lists one) or in the `ldconfig -p` cache.
 */
export async function findCudaLibs(
  ldconfig: string | undefined,
  options: { ldLibraryPath?: string; listDir: (dir: string) => Promise<string[]> },
): Promise<CudaLibStatus[]> {
  const cache = parseLdconfig(ldconfig ?? "");
  const dirs = (options.ldLibraryPath ?? "").split(":").filter(Boolean);
  const listed = await Promise.all(dirs.map(async (d) => ({ d, names: await options.listDir(d) })));
  return TF_291_CUDA_LIBS.map(({ name }) => {
    const hit = listed.find((l) => l.names.includes(name));
    if (hit) return { name, found: true, path: `${hit.d}/${name}` };
    const p = cache.get(name);
    return p ? { name, found: true, path: p } : { name, found: false };
  });
}

/** The pip command that installs the wheels of the `missing` sonames, or null when none. */
export function cudaLibsFix(missing: readonly string[]): string | null {
  const wheels = [
    ...new Set(TF_291_CUDA_LIBS.filter((l) => missing.includes(l.name)).map((l) => l.wheel)),
  ];
  if (wheels.length === 0) return null;
  return `python3 -m pip install ${wheels.map((w) => `'${w}'`).join(" ")}, then ` +
    'export LD_LIBRARY_PATH=$(python3 -c \'import nvidia,os;print(":".join(os.path.join(' +
    'nvidia.__path__[0],d,"lib") for d in os.listdir(nvidia.__path__[0])))\'):$LD_LIBRARY_PATH';
}
