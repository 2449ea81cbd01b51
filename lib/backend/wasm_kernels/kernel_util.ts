/**
 * Shared plumbing for the JS-registered wasm training kernels: running other wasm kernels
 * directly (outside the engine, so nothing is taped) and freeing their intermediates.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** The parts of the wasm backend (`BackendWasm`) these kernels touch. */
export interface WasmBackend extends tf.KernelBackend {
  /** Per-dataId bookkeeping: wasm tensor id, heap offset (bytes), refcount. */
  dataIdMap: {
    get(dataId: unknown): { id: number; memoryOffset: number; refCount: number };
  };
  /** The Emscripten module (heap views; they are replaced when the heap grows). */
  wasm: { HEAPF32: Float32Array };
  /** Allocates an output tensor on the wasm heap. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** Decrements the refcount of `dataId`, freeing it at zero. */
  disposeData(dataId: unknown, force?: boolean): boolean;
  /** Increments the refcount of `dataId` (another TensorInfo now shares its data). */
  incRef(dataId: unknown): void;
}

/** What the engine passes to a kernelFunc. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/** A kernel this module needs is not registered on the wasm backend. */
export class MissingWasmKernelError extends Error {
  override name = "MissingWasmKernelError";
}

/** Raised for an attribute combination these kernels do not implement. */
export class UnsupportedKernelAttrError extends Error {
  override name = "UnsupportedKernelAttrError";
}

/** Kernel configs of the stock wasm kernels that this module replaced, by kernel name. */
export const ORIGINAL_KERNELS: Map<string, tf.KernelConfig> = new Map();

/**
 * The stock wasm kernelFunc of `name` (the one registered before our replacement, if any).
 * Throws a {@linkcode MissingWasmKernelError} when the wasm backend has no such kernel.
 */
export function stockKernel(name: string): tf.KernelFunc {
  const config = ORIGINAL_KERNELS.get(name) ?? tf.getKernel(name, "wasm");
  if (!config) {
    throw new MissingWasmKernelError(
      `The wasm backend has no '${name}' kernel. Import "@tensorflow/tfjs-backend-wasm" ` +
        `(4.22.0) before registering the training kernels.`,
    );
  }
  return config.kernelFunc;
}

/**
 * Runs wasm kernels directly (their kernelFuncs, not through the engine: nothing is recorded
 * on the gradient tape) and remembers every output, so that {@linkcode KernelScope.dispose}
 * frees all intermediates except those passed to {@linkcode KernelScope.keep}.
 */
export class KernelScope {
  readonly backend: WasmBackend;
  #live: tf.TensorInfo[] = [];

  /** Opens a scope on the backend given to the calling kernelFunc. */
  constructor(backend: tf.KernelBackend) {
    this.backend = backend as WasmBackend;
  }

  /** Runs the currently registered wasm kernel `name` (our replacement if we made one). */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const config = tf.getKernel(name, "wasm");
    if (!config) return this.runStock(name, inputs, attrs);
    return this.#track(config.kernelFunc({ inputs, backend: this.backend, attrs }));
  }

  /** Runs the stock wasm kernel `name`, bypassing any replacement of ours. */
  runStock(
    name: string,
    inputs: tf.NamedTensorInfoMap,
    attrs: tf.NamedAttrMap = {},
  ): tf.TensorInfo {
    return this.#track(stockKernel(name)({ inputs, backend: this.backend, attrs }));
  }

  /** A view of `x` with a new shape (shares the data; freed with the scope). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.runStock("Reshape", { x }, { shape });
  }

  /** Transposes `x` by `perm`. */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.runStock("Transpose", { x }, { perm });
  }

  /** Allocates an uninitialised float32 tensor, freed with the scope unless kept. */
  alloc(shape: number[]): tf.TensorInfo {
    return this.#track(this.backend.makeOutput(shape, "float32"));
  }

  /** Excludes `t` from disposal and returns it (the kernel's output). */
  keep(t: tf.TensorInfo): tf.TensorInfo {
    const i = this.#live.indexOf(t);
    if (i >= 0) this.#live.splice(i, 1);
    return t;
  }

  /** Frees every tracked intermediate (refcounted: views keep shared data alive). */
  dispose(): void {
    for (const t of this.#live) this.backend.disposeData(t.dataId);
    this.#live = [];
  }

  #track(out: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
    if (Array.isArray(out)) {
      throw new UnsupportedKernelAttrError("KernelScope.run expects single-output kernels.");
    }
    this.#live.push(out);
    return out;
  }
}

/**
 * Runs `body` in a fresh {@linkcode KernelScope}; the TensorInfo it returns is kept, every
 * other intermediate is freed, also when `body` throws.
 */
export function withScope(
  backend: tf.KernelBackend,
  body: (s: KernelScope) => tf.TensorInfo,
): tf.TensorInfo {
  const s = new KernelScope(backend);
  try {
    return s.keep(body(s));
  } finally {
    s.dispose();
  }
}

/** A float32 view of a tensor's data on the wasm heap (re-fetch after any allocation). */
export function heapView(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId);
  const size = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(backend.wasm.HEAPF32.buffer, memoryOffset, size);
}

/**
 * True when `t` holds one value per channel of a `[..., c]` tensor: shape `[c]`, or all
 * ones but a last axis of `c` (e.g. `[1, 1, c]`), float32.
 */
export function isPerChannel(t: tf.TensorInfo | null | undefined, c: number): boolean {
  if (t == null || t.dtype !== "float32" || t.shape.length === 0) return false;
  const last = t.shape.length - 1;
  return t.shape[last] === c && t.shape.every((d, i) => i === last || d === 1);
}
