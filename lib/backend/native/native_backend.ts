/**
 * The `native` TF.js backend: the cpu backend's storage (plain typed arrays, so oneDNN reads and
 * writes them in place through FFI) with oneDNN kernels registered for the hot paths (conv,
 * depthwise conv and their gradients, matmul, batch norm) and every other kernel taken from the
 * cpu backend unchanged. A kernel of ours that meets a case it does not handle calls the cpu
 * kernel it replaced ({@linkcode cpuKernel}), so coverage is always the cpu backend's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { type Dnnl, type F32, loadDnnl, type LoadDnnlOptions } from "./dnnl_library.ts";

/** The backend's registered name. */
export const NATIVE_BACKEND = "native";

/** MathBackendCPU plus the loaded oneDNN. */
export class NativeBackend extends MathBackendCPU {
  /** The library the kernels call. */
  readonly dnnl: Dnnl;
  /** Wraps an already loaded oneDNN. */
  constructor(dnnl: Dnnl) {
    super();
    this.dnnl = dnnl;
    // MathBackendCPU prints an "install tfjs-node" banner on first use; this backend is the fix.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /**
   * The float32 values of `t` in place (no copy): what oneDNN reads. Some cpu kernels store
   * a float32 result in another array type (a plain Array, a Float64Array, an Int32Array for
   * a cast): those are converted once and stored back, so later reads are in place again.
   */
  f32(t: tf.TensorInfo): F32 {
    const entry = this.data.get(t.dataId);
    const values = entry.values;
    if (values instanceof Float32Array) return values;
    if (t.dtype !== "float32" || values == null || typeof values === "string") {
      throw new Error(`native backend: expected float32 data, got ${t.dtype}`);
    }
    const converted = Float32Array.from(values as ArrayLike<number>);
    entry.values = converted;
    return converted;
  }

  /** A new float32 output of `shape` and the array oneDNN writes it through. */
  output(shape: number[]): { info: tf.TensorInfo; values: F32 } {
    const values = new Float32Array(tf.util.sizeFromShape(shape));
    const info = this.makeTensorInfo(shape, "float32", values);
    return { info, values };
  }
}

/** The stock cpu kernel configs, copied onto `native` and kept for fallbacks. */
const CPU_KERNELS = new Map<string, tf.KernelConfig>();

/** The cpu backend's kernel `name` (its kernelFunc runs on NativeBackend's storage). */
export function cpuKernel(name: string): tf.KernelConfig {
  const k = CPU_KERNELS.get(name);
  if (!k) throw new Error(`native backend: no cpu kernel ${name} to fall back to`);
  return k;
}

/** Calls the cpu kernel `name` on the same arguments (a native kernel's fallback). */
export function runCpuKernel(
  name: string,
  args: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs?: tf.NamedAttrMap },
): tf.TensorInfo | tf.TensorInfo[] {
  return cpuKernel(name).kernelFunc(args as Parameters<tf.KernelFunc>[0]);
}

/** What {@linkcode registerNativeBackend} did. */
export interface NativeRegistration {
  /** oneDNN version loaded. */
  version: string;
  /** Library file opened. */
  path: string;
  /** Kernels that run oneDNN (the rest are the cpu backend's). */
  nativeKernels: string[];
}

/**
 * Loads oneDNN (throws NativeLibraryError saying what to install when it cannot), registers
 * the `native` backend with every cpu kernel, then puts `kernels` (our oneDNN ones) over them.
 * Idempotent. Does not activate the backend (`tf.setBackend("native")` does).
 */
export function registerNativeBackend(
  kernels: tf.KernelConfig[],
  options: LoadDnnlOptions = {},
): NativeRegistration {
  const dnnl = loadDnnl(options);
  if (tf.findBackendFactory(NATIVE_BACKEND) === null) {
    // Priority 0: never chosen implicitly over wasm/cpu; setupBackend activates it by name.
    tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(dnnl), 0);
  }
  if (CPU_KERNELS.size === 0) {
    for (const k of tf.getKernelsForBackend("cpu")) {
      CPU_KERNELS.set(k.kernelName, k);
      tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
    }
  }
  const names: string[] = [];
  for (const k of kernels) {
    const config = { ...k, backendName: NATIVE_BACKEND };
    if (tf.getKernel(k.kernelName, NATIVE_BACKEND)) {
      tf.unregisterKernel(k.kernelName, NATIVE_BACKEND);
    }
    tf.registerKernel(config);
    names.push(k.kernelName);
  }
  return { version: dnnl.version, path: dnnl.path, nativeKernels: names };
}
