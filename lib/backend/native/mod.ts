/**
 * The `native` backend: TF.js on oneDNN through Deno FFI (see dnnl_library.ts for why).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv2dConfig } from "./conv2d.ts";
// lead: elementwise
import { binaryOpConfigs } from "./binary_ops.ts";
import { preluConfigs } from "./prelu.ts";
import { reduceSliceConfigs } from "./reduce_slice.ts";
import { eltwiseConfigs } from "./eltwise.ts";
import { poolingConfigs } from "./pooling.ts";
import { reverseConfig } from "./reverse.ts";
import { momentumUpdateConfigs } from "./momentum_update.ts";
import { installActivationGrads } from "../wasm_kernels/activation_grads.ts";
import { installPreluGrad } from "../wasm_kernels/prelu_grad.ts";
// core slice
import { batchMatMulConfig, fusedMatMulConfig } from "./batch_mat_mul.ts";
import { fusedBatchNormConfig } from "./fused_batch_norm.ts";
import { batchNormTrainConfigs } from "./batch_norm_train.ts";
import { BATCH_NORM_TRAIN, batchNormTrainGradConfig } from "../wasm_kernels/batch_norm_train.ts";
import { installBatchNormLayer } from "../wasm_kernels/batch_norm_layer.ts";
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
export { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from "./momentum_update.ts";
export { NATIVE_BACKEND, NativeBackend, type NativeRegistration } from "./native_backend.ts";

/** Every oneDNN kernel config of the native backend. */
export function nativeKernelConfigs(): tf.KernelConfig[] {
  return [
    conv2dConfig(),
    ...binaryOpConfigs(),
    ...preluConfigs(),
    ...reduceSliceConfigs(),
    ...eltwiseConfigs(),
    ...poolingConfigs(),
    reverseConfig(),
    ...momentumUpdateConfigs(),
    // core slice
    batchMatMulConfig(),
    fusedMatMulConfig(),
    fusedBatchNormConfig(),
    ...batchNormTrainConfigs(),
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
 * Loads oneDNN and registers the `native` backend with its kernels (idempotent), the
 * `ArcfaceBatchNormTrain` gradient and the tfjs-layers BatchNormalization training routing. Throws
 * NativeLibraryError, saying what to install, when oneDNN cannot be loaded.
 */
export function registerNative(options: LoadDnnlOptions = {}): NativeRegistration {
  const registration = registerNativeBackend(nativeKernelConfigs(), options);
  // core slice: the one-op training batch norm's gradient (backend-independent) and the
  // tfjs-layers BatchNormalization routing, shared with the wasm kernels.
  if (!tf.getGradient(BATCH_NORM_TRAIN)) tf.registerGradient(batchNormTrainGradConfig());
  const patched = installBatchNormLayer() ? ["BatchNormalization.call"] : [];
  // lead: the Prelu gradient patch dispatches to ArcfacePreluGrad on any backend that has it.
  if (installPreluGrad()) patched.push("Prelu_grad");
  patched.push(...installActivationGrads());
  return {
    ...registration,
    nativeKernels: [...registration.nativeKernels, `${BATCH_NORM_TRAIN}_grad`, ...patched],
  };
}
