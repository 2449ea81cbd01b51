/**
 * The bench's backend set-up: `setupBackend`, plus the `native` backend (oneDNN through Deno
 * FFI) while `setupBackend` does not know it by name yet (issue 13: another slice adds it there;
 * from then on this only delegates).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_ENV_VAR, parseBackendName, setupBackend } from "../backend/mod.ts";
import { NATIVE_BACKEND, registerNative } from "../backend/native/mod.ts";

/** What the bench runs on, and why. */
export interface BenchBackend {
  /** The active TF.js backend. */
  name: string;
  /** One sentence: why this backend (for native: the oneDNN library and version). */
  reason: string;
  /** Kernels this project registered on it (wasm training kernels, native oneDNN kernels). */
  registeredKernels: string[];
}

function knowsNative(): boolean {
  try {
    parseBackendName(NATIVE_BACKEND);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sets up `requested` (`ARCFACE_BACKEND` in `env` wins, as in `setupBackend`). `native` loads
 * oneDNN and activates the native backend; anything else goes to `setupBackend`.
 *
 * @throws {BackendError} or {NativeLibraryError} (with the install command) when it cannot load.
 */
export async function setupBenchBackend(
  requested?: string,
  options: { env?: Record<string, string | undefined> } = {},
): Promise<BenchBackend> {
  const env = options.env ?? Deno.env.toObject();
  const asked = (env[BACKEND_ENV_VAR] || requested || "auto").trim().toLowerCase();
  if (asked !== NATIVE_BACKEND || knowsNative()) {
    const c = await setupBackend(requested, { env });
    return { name: c.name, reason: c.reason, registeredKernels: c.registeredKernels };
  }
  // The native backend copies the cpu backend's kernels: load those first.
  await setupBackend("cpu", { env: {} });
  const reg = registerNative();
  if (!(await tf.setBackend(NATIVE_BACKEND))) {
    throw new Error(`tf.setBackend("${NATIVE_BACKEND}") failed after oneDNN ${reg.version} loaded`);
  }
  return {
    name: NATIVE_BACKEND,
    reason: `asked for by name; oneDNN ${reg.version} (${reg.path}), cpu kernels for the rest`,
    registeredKernels: reg.nativeKernels,
  };
}
