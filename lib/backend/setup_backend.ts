/**
 * Chooses and initialises the TensorFlow.js backend.
 *
 * Order of preference for `auto`: `tensorflow` (libtensorflow through tfjs-node-gpu or
 * tfjs-node: the production path on GPU machines) -> `webgpu` (only a real, non-fallback
 * adapter; not even probed where no GPU device file exists, see webgpu_probe.ts) -> `native`
 * (oneDNN through Deno FFI on all cores, when Debian's libdnnl2 loads; see lib/backend/native/)
 * -> `wasm` (XNNPACK, one core, plus our training kernels) -> never `cpu` (pure JS,
 * reference only: it must be asked for by name).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
// Gradients are only registered when tfjs-layers is imported.
import "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "./wasm_kernels/mod.ts";
import {
  DNNL_INSTALL_COMMAND,
  DNNL_LIBRARY_ENV_VAR,
  NATIVE_BACKEND,
  NativeLibraryError,
  registerNative,
} from "./native/mod.ts";
import { webgpuAdapterReport, webgpuUnavailableQuietly } from "./webgpu_probe.ts";
import {
  diagnoseTfjsNode,
  type TfjsNodeDiagnosisOptions,
  tfjsNodeInstallCommand,
  tfjsNodeProblemText,
} from "./tfjs_node/mod.ts";

/** Every name `setupBackend` accepts. */
export const BACKEND_NAMES = ["auto", "tensorflow", "webgpu", "native", "wasm", "cpu"] as const;

/** A backend name as accepted by config and the environment variable. */
export type BackendName = typeof BACKEND_NAMES[number];

/** A concrete backend (what `auto` resolves to). */
export type ConcreteBackend = Exclude<BackendName, "auto">;

/** Environment variable that overrides the configured backend. */
export const BACKEND_ENV_VAR = "ARCFACE_BACKEND";

/**
 * Environment variable that, set to `1`, lets `webgpu` asked for BY NAME run on a software
 * adapter (Mesa llvmpipe / lavapipe, SwiftShader): how the webgpu kernel, gradient and training
 * tests run in CI on a machine without a GPU. `auto` never picks a software adapter, set or not.
 * Same as the option `allowSoftwareAdapter: true`.
 */
export const WEBGPU_SOFTWARE_ENV_VAR = "ARCFACE_WEBGPU_ALLOW_SOFTWARE";

/** Raised for an unknown backend name, or a named backend that cannot load. */
export class BackendError extends Error {
  override name = "BackendError";
}

/** What `setupBackend` chose, and why. */
export interface BackendChoice {
  /** The backend now active in TF.js. */
  name: ConcreteBackend;
  /** What was asked for (after the environment override). */
  requested: BackendName;
  /** Where the request came from. */
  source: "environment" | "option" | "default";
  /** One sentence: why this backend. */
  reason: string;
  /** Backends `auto` tried before this one, with why each was skipped. */
  skipped: { name: ConcreteBackend; why: string }[];
  /** Kernels (and gradients, layer patches) this project registered on the chosen backend (wasm, native). */
  registeredKernels: string[];
}

/** Options of {@linkcode setupBackend}. */
export interface SetupBackendOptions {
  /** Environment to read `ARCFACE_BACKEND` from; defaults to `Deno.env`. */
  env?: Record<string, string | undefined>;
  /** Where `auto` looks for GPU device files before probing WebGPU (default "/dev"; tests). */
  devDir?: string;
  /** Register the wasm training kernels (default true). */
  trainingKernels?: boolean;
  /**
   * oneDNN library file for `native` (default: `ARCFACE_DNNL_LIBRARY` in `env`, else
   * `libdnnl.so.2`). Tests fake a machine without libdnnl2 with a path that does not exist.
   */
  dnnlLibrary?: string;
  /** Where and how to diagnose tfjs-node before importing it (tests: a fake layout). */
  tfjsNode?: TfjsNodeDiagnosisOptions;
  /**
   * Let `webgpu`, asked for by name, use a software adapter (default: `ARCFACE_WEBGPU_ALLOW_SOFTWARE=1`
   * in `env`, else false). Ignored by `auto`, which always skips software adapters.
   */
  allowSoftwareAdapter?: boolean;
}

function readEnv(options: SetupBackendOptions, name = BACKEND_ENV_VAR): string | undefined {
  if (options.env) return options.env[name];
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

/** The software-adapter opt-in: the option if given, else `ARCFACE_WEBGPU_ALLOW_SOFTWARE=1`. */
function softwareAllowed(options: SetupBackendOptions): boolean {
  if (options.allowSoftwareAdapter !== undefined) return options.allowSoftwareAdapter;
  return /^(1|true|yes)$/i.test(readEnv(options, WEBGPU_SOFTWARE_ENV_VAR)?.trim() ?? "");
}

/** Checks a backend name, throwing a {@linkcode BackendError} that lists the valid ones. */
export function parseBackendName(value: string, where = "backend"): BackendName {
  const name = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new BackendError(
    `Unknown ${where} '${value}'. Valid names: ${BACKEND_NAMES.join(", ")}.`,
  );
}

/**
 * Loads tfjs-node-gpu or tfjs-node. First diagnoses the install (lib/backend/tfjs_node/): a
 * missing package, binding or libtensorflow is an error naming the piece and the command that
 * fixes it, without trying the import. A GPU build that would load but run on the CPU (a
 * CUDA/cuDNN library or the driver missing) is an error when `tensorflow` is asked for by name;
 * `auto` loads it anyway (libtensorflow on all cores beats one wasm core) and says so in its
 * reason. Returns the package loaded and those warnings.
 */
async function loadTensorflow(
  options: TfjsNodeDiagnosisOptions,
  byName: boolean,
): Promise<{ pkg: string; noGpu: string }> {
  const diagnosis = await diagnoseTfjsNode(options);
  const blocking = diagnosis.problems.filter((p) => byName || p.effect === "cannot-load");
  if (blocking.length) {
    const cpuHint = blocking.every((p) => p.effect === "no-gpu")
      ? " (For libtensorflow on the CPU use ARCFACE_BACKEND=auto, or @tensorflow/tfjs-node.)"
      : "";
    throw new BackendError(
      `tfjs-node cannot load: ${tfjsNodeProblemText({ ...diagnosis, problems: blocking })}` +
        cpuHint,
    );
  }
  const pkg = diagnosis.package!.name;
  try {
    await import(pkg);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new BackendError(
      `${pkg} ${diagnosis.package!.version} looked complete but its import failed: ` +
        `${msg.split("\n")[0]}. Check it with \`deno task doctor\`; reinstall: ` +
        tfjsNodeInstallCommand(pkg),
    );
  }
  if (tf.findBackend("tensorflow") === null) {
    throw new BackendError(`${pkg} loaded but registered no 'tensorflow' backend.`);
  }
  return { pkg, noGpu: tfjsNodeProblemText(diagnosis) };
}

/** The cpu backend prints a "install tfjs-node" banner on first use; the choice is ours to report. */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend("cpu") as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

/**
 * Registers the native backend (oneDNN) and returns its kernels, or throws a BackendError
 * that says what to install.
 */
function loadNative(options: SetupBackendOptions): { kernels: string[]; what: string } {
  const path = options.dnnlLibrary ?? readEnv(options, DNNL_LIBRARY_ENV_VAR);
  try {
    const r = registerNative(path ? { path } : {});
    // libgomp reads the process environment, not `options.env`.
    let omp: string | undefined;
    try {
      omp = Deno.env.get("OMP_NUM_THREADS");
    } catch { /* no --allow-env */ }
    const threads = omp
      ? `${omp} OpenMP threads (OMP_NUM_THREADS)`
      : `${navigator.hardwareConcurrency} OpenMP threads (all cores; set OMP_NUM_THREADS to change)`;
    return { kernels: r.nativeKernels, what: `oneDNN ${r.version} (${r.path}), ${threads}` };
  } catch (e) {
    if (!(e instanceof NativeLibraryError)) throw e;
    const notFound = e.message.includes("cannot be loaded")
      ? `oneDNN not found: ${DNNL_INSTALL_COMMAND}. `
      : "";
    throw new BackendError(`${notFound}${e.message}`);
  }
}

async function activate(name: ConcreteBackend): Promise<void> {
  silenceCpuBanner();
  if (name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`TF.js could not initialise the '${name}' backend.`);
  await tf.ready();
}

/**
 * Sets up TF.js on the requested backend and returns what it chose and why.
 *
 * `ARCFACE_BACKEND` in the environment overrides `requested`; `auto` (the default) falls back
 * `tensorflow` -> `webgpu` -> `native` -> `wasm` and records why each was skipped. A backend named
 * explicitly never falls back: it loads or throws a {@linkcode BackendError} that says why.
 */
export async function setupBackend(
  requested?: string,
  options: SetupBackendOptions = {},
): Promise<BackendChoice> {
  const fromEnv = readEnv(options);
  const source = fromEnv ? "environment" : requested ? "option" : "default";
  const asked = fromEnv
    ? parseBackendName(fromEnv, `${BACKEND_ENV_VAR} backend`)
    : parseBackendName(requested ?? "auto");
  const skipped: BackendChoice["skipped"] = [];
  let nativeKernels: string[] = [];
  const finish = async (name: ConcreteBackend, reason: string): Promise<BackendChoice> => {
    await activate(name);
    const registeredKernels = name === "wasm" && options.trainingKernels !== false
      ? registerWasmTrainingKernels()
      : name === NATIVE_BACKEND
      ? nativeKernels
      : [];
    return { name, requested: asked, source, reason, skipped, registeredKernels };
  };

  switch (asked) {
    case "tensorflow": {
      const { pkg } = await loadTensorflow(options.tfjsNode ?? {}, true);
      return finish("tensorflow", `asked for by name; loaded ${pkg}`);
    }
    case "webgpu": {
      const allow = softwareAllowed(options);
      const found = await webgpuAdapterReport({ allowSoftware: allow });
      if (found.why) {
        const hint = found.software
          ? ` To use it anyway (tests), set ${WEBGPU_SOFTWARE_ENV_VAR}=1 or pass ` +
            "allowSoftwareAdapter: true."
          : "";
        throw new BackendError(`Backend 'webgpu' cannot be used: ${found.why}.${hint}`);
      }
      return finish(
        "webgpu",
        found.software
          ? `asked for by name; software adapter ${found.adapter} allowed by the opt-in ` +
            `(${WEBGPU_SOFTWARE_ENV_VAR} / allowSoftwareAdapter): ~10x slower than wasm`
          : `asked for by name; hardware WebGPU adapter ${found.adapter}`,
      );
    }
    case "native": {
      let loaded: { kernels: string[]; what: string };
      try {
        loaded = loadNative(options);
      } catch (e) {
        throw new BackendError(`Backend 'native' cannot be used: ${(e as Error).message}`);
      }
      nativeKernels = loaded.kernels;
      return finish("native", `asked for by name; ${loaded.what}`);
    }
    case "wasm":
      return finish("wasm", "asked for by name");
    case "cpu":
      return finish("cpu", "asked for by name (pure-JS reference backend: slow)");
    case "auto": {
      try {
        const { pkg, noGpu } = await loadTensorflow(options.tfjsNode ?? {}, false);
        const onCpu = noGpu ? `, but it runs on the CPU: ${noGpu}` : "";
        return finish("tensorflow", `auto: ${pkg} is installed${onCpu}`);
      } catch (e) {
        skipped.push({ name: "tensorflow", why: (e as Error).message });
      }
      const why = await webgpuUnavailableQuietly({ devDir: options.devDir });
      if (!why) return finish("webgpu", "auto: a hardware WebGPU adapter is present");
      skipped.push({ name: "webgpu", why });
      let loaded: { kernels: string[]; what: string } | null = null;
      try {
        loaded = loadNative(options);
      } catch (e) {
        skipped.push({ name: "native", why: (e as Error).message });
      }
      if (loaded) {
        nativeKernels = loaded.kernels;
        return finish("native", `auto: no tfjs-node, no hardware WebGPU; ${loaded.what}`);
      }
      return finish(
        "wasm",
        "auto: fell back to wasm (no tfjs-node, no hardware WebGPU, no oneDNN)",
      );
    }
  }
}
