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
import { MIN_POOLED_LENGTH, OutputPool } from "./output_pool.ts";

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

  /**
   * A new float32 output of `shape` and the array oneDNN writes it through: a recycled array
   * (dirty: the kernel must write every element) unless `zeroed`.
   */
  output(
    shape: number[],
    options: { zeroed?: boolean } = {},
  ): { info: tf.TensorInfo; values: F32 } {
    const size = tf.util.sizeFromShape(shape);
    let values = this.#pool.take(size);
    if (values && options.zeroed) values.fill(0);
    values ??= new Float32Array(size);
    if (size >= MIN_POOLED_LENGTH) this.#ours.set(values.buffer, { array: values, entries: 0 });
    const info = this.makeTensorInfo(shape, "float32", values);
    return { info, values };
  }

  // Recycling (output_pool.ts): an array from `output` goes back to the pool when the last
  // tensor entry holding it (or a view of it: the cpu Slice returns subarrays) is deleted,
  // unless its values were ever handed out (read / readSync: tensor.data(), dataSync(), the
  // cpu kernels' bufferSync), after which it is left to the garbage collector.
  readonly #pool = new OutputPool();
  /** Our arrays' buffers -> the array and how many tensor entries hold it or a view of it. */
  readonly #ours = new Map<ArrayBufferLike, { array: F32; entries: number }>();

  #hold(values: unknown): void {
    const own = ArrayBuffer.isView(values) ? this.#ours.get(values.buffer) : undefined;
    if (own) own.entries++;
  }

  /** Bytes the output pool holds now (for tests and the docs' memory note). */
  get pooledBytes(): number {
    return this.#pool.bytes;
  }

  override write(
    values: tf.backend_util.BackendValues,
    shape: number[],
    dtype: tf.DataType,
  ): tf.DataId {
    this.#hold(values);
    return super.write(values, shape, dtype);
  }

  override move(
    dataId: tf.DataId,
    values: tf.backend_util.BackendValues,
    shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ): void {
    this.#hold(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: tf.DataId): tf.backend_util.BackendValues {
    if (this.data.has(dataId)) {
      const values = this.data.get(dataId).values;
      if (ArrayBuffer.isView(values)) this.#ours.delete(values.buffer); // handed out: never reused
    }
    return super.readSync(dataId);
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const deleted = super.disposeData(dataId, force);
    if (deleted && ArrayBuffer.isView(values)) {
      const own = this.#ours.get(values.buffer);
      if (own && --own.entries <= 0) {
        this.#ours.delete(values.buffer);
        this.#pool.give(own.array);
      }
    }
    return deleted;
  }

  override dispose(): void {
    this.#pool.clear();
    this.#ours.clear();
    super.dispose();
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
