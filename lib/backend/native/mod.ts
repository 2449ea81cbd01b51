/**
 * The `native` backend: TF.js on oneDNN through Deno FFI (see dnnl_library.ts for why).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { conv2dConfig } from "./conv2d.ts";
// conv slice
import { conv2dBackpropInputConfig } from "./conv2d_backprop_input.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { fusedConv2dConfig } from "./fused_conv2d.ts";
import { depthwiseConv2dConfig } from "./depthwise_conv2d.ts";
import { fusedDepthwiseConv2dConfig } from "./fused_depthwise_conv2d.ts";
import { depthwiseConv2dBackpropInputConfig } from "./depthwise_conv2d_backprop_input.ts";
import { depthwiseConv2dBackpropFilterConfig } from "./depthwise_conv2d_backprop_filter.ts";
import type { LoadDnnlOptions } from "./dnnl_library.ts";
import { type NativeRegistration, registerNativeBackend } from "./native_backend.ts";

export {
  DNNL_INSTALL_COMMAND,
  DNNL_LIBRARY,
  DNNL_LIBRARY_ENV_VAR,
  loadDnnl,
  NativeLibraryError,
  setOmpThreads,
} from "./dnnl_library.ts";
export { NATIVE_BACKEND, NativeBackend, type NativeRegistration } from "./native_backend.ts";

/** Every oneDNN kernel config of the native backend. */
export function nativeKernelConfigs(): tf.KernelConfig[] {
  return [
    conv2dConfig(),
    // conv slice
    conv2dBackpropInputConfig(),
    conv2dBackpropFilterConfig(),
    fusedConv2dConfig(),
    depthwiseConv2dConfig(),
    fusedDepthwiseConv2dConfig(),
    depthwiseConv2dBackpropInputConfig(),
    depthwiseConv2dBackpropFilterConfig(),
  ];
}

/**
 * Loads oneDNN and registers the `native` backend with its kernels (idempotent). Throws
 * NativeLibraryError, saying what to install, when oneDNN cannot be loaded.
 */
export function registerNative(options: LoadDnnlOptions = {}): NativeRegistration {
  return registerNativeBackend(nativeKernelConfigs(), options);
}
