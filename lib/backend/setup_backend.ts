/**
 * Chooses and initialises the TensorFlow.js backend.
 *
 * Order of preference for `auto`: `tensorflow` (libtensorflow through tfjs-node-gpu or
 * tfjs-node: the production path on GPU machines) -> `webgpu` (only a real, non-fallback
 * adapter; not even probed where no GPU device file exists, see webgpu_probe.ts) -> `wasm` (XNNPACK, one core, plus our training kernels) -> never `cpu` (pure JS,
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
import { webgpuUnavailable, webgpuUnavailableQuietly } from "./webgpu_probe.ts";
import {
  diagnoseTfjsNode,
  type TfjsNodeDiagnosisOptions,
  tfjsNodeInstallCommand,
  tfjsNodeProblemText,
} from "./tfjs_node/mod.ts";

/** Every name `setupBackend` accepts. */
export const BACKEND_NAMES = ["auto", "tensorflow", "webgpu", "wasm", "cpu"] as const;

/** A backend name as accepted by config and the environment variable. */
export type BackendName = typeof BACKEND_NAMES[number];

/** A concrete backend (what `auto` resolves to). */
export type ConcreteBackend = Exclude<BackendName, "auto">;

/** Environment variable that overrides the configured backend. */
export const BACKEND_ENV_VAR = "ARCFACE_BACKEND";

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
  /** Kernels this project registered on the chosen backend (wasm only). */
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
  /** Where and how to diagnose tfjs-node before importing it (tests: a fake layout). */
  tfjsNode?: TfjsNodeDiagnosisOptions;
}

function readEnv(options: SetupBackendOptions): string | undefined {
  if (options.env) return options.env[BACKEND_ENV_VAR];
  try {
    return Deno.env.get(BACKEND_ENV_VAR);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
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
 * `tensorflow` -> `webgpu` -> `wasm` and records why each was skipped. A backend named
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
  const finish = async (name: ConcreteBackend, reason: string): Promise<BackendChoice> => {
    await activate(name);
    const registeredKernels = name === "wasm" && options.trainingKernels !== false
      ? registerWasmTrainingKernels()
      : [];
    return { name, requested: asked, source, reason, skipped, registeredKernels };
  };

  switch (asked) {
    case "tensorflow": {
      const { pkg } = await loadTensorflow(options.tfjsNode ?? {}, true);
      return finish("tensorflow", `asked for by name; loaded ${pkg}`);
    }
    case "webgpu": {
      const why = await webgpuUnavailable();
      if (why) throw new BackendError(`Backend 'webgpu' cannot be used: ${why}.`);
      return finish("webgpu", "asked for by name; a hardware WebGPU adapter is present");
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
      return finish("wasm", "auto: fell back to wasm (no tfjs-node, no hardware WebGPU)");
    }
  }
}
