/**
 * `Identity` and same-dtype `Cast` for wasm without a copy. The stock wasm kernels copy the
 * whole buffer; the engine runs `Identity` for every tensor it saves for backprop (and
 * `tf.clone`), and gradients cast float32 to float32. TF.js tensors are immutable, so the
 * output may share the input's data: the refcount is raised (as the cpu backend and the wasm
 * `Reshape` do) and the buffer is freed when the last tensor sharing it is disposed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, stockKernel, type WasmBackend } from "./kernel_util.ts";

/** A TensorInfo sharing `x`'s data (refcount raised). */
function alias(backend: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

/** Config of the wasm `Identity` that shares its input's data (strings: stock kernel). */
export function identityConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Identity,
    backendName: "wasm",
    kernelFunc: ((args: KernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === "string") return stockKernel(tf.Identity)(args);
      return alias(args.backend, x);
    }) as tf.KernelFunc,
  };
}

/** Config of the wasm `Cast` that shares the data when the dtype does not change. */
export function castConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Cast,
    backendName: "wasm",
    kernelFunc: ((args: KernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { dtype } = (args.attrs ?? {}) as { dtype: tf.DataType };
      if (dtype !== x.dtype || x.dtype === "string" || x.dtype === "complex64") {
        return stockKernel(tf.Cast)(args);
      }
      return alias(args.backend, x);
    }) as tf.KernelFunc,
  };
}
