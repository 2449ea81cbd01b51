/**
 * Training kernels for the TF.js wasm backend: the conv gradients it lacks (tfjs#8474) and
 * fast replacements of the kernels and gradients that make a training step slow.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMulConfig } from "./batch_mat_mul.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { conv2dBackpropInputConfig } from "./conv2d_backprop_input.ts";
import { depthwiseConv2dBackpropFilterConfig } from "./depthwise_conv2d_backprop_filter.ts";
import { depthwiseConv2dBackpropInputConfig } from "./depthwise_conv2d_backprop_input.ts";
import { installFusedBatchNormGrad } from "./fused_batch_norm_grad.ts";
import { ORIGINAL_KERNELS } from "./kernel_util.ts";
import { meanConfig, sumConfig } from "./reduce_leading.ts";

export { MissingWasmKernelError, UnsupportedKernelAttrError } from "./kernel_util.ts";

/** Marks kernel configs registered by this module (for idempotence). */
const OURS = Symbol("arcfaceWasmTrainingKernel");

function kernelConfigs(): tf.KernelConfig[] {
  return [
    conv2dBackpropFilterConfig(),
    depthwiseConv2dBackpropInputConfig(),
    depthwiseConv2dBackpropFilterConfig(),
    batchMatMulConfig(),
    conv2dBackpropInputConfig(),
    sumConfig(),
    meanConfig(),
  ];
}

/**
 * Registers the wasm training kernels: adds `Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput` and `DepthwiseConv2dNativeBackpropFilter`; replaces
 * `BatchMatMul`, `Conv2DBackpropInput`, `Sum` and `Mean` (keeping each stock config's
 * setupFunc, and calling the stock kernel where it is already fast); makes the
 * `FusedBatchNorm` gradient avoid full-size tiles on wasm. Idempotent; returns the names of
 * the kernels (and, as `FusedBatchNorm_grad`, the gradient) it registered or replaced.
 * Call it after the wasm backend is registered (importing tfjs-backend-wasm does that).
 */
export function registerWasmTrainingKernels(): string[] {
  const names: string[] = [];
  for (const config of kernelConfigs()) {
    const name = config.kernelName;
    const existing = tf.getKernel(name, "wasm") as
      | (tf.KernelConfig & { [OURS]?: true })
      | undefined;
    if (existing?.[OURS]) {
      names.push(name);
      continue;
    }
    if (existing) {
      ORIGINAL_KERNELS.set(name, existing);
      tf.unregisterKernel(name, "wasm");
    }
    tf.registerKernel(
      { ...config, setupFunc: existing?.setupFunc, [OURS]: true } as tf.KernelConfig,
    );
    names.push(name);
  }
  if (installFusedBatchNormGrad()) names.push("FusedBatchNorm_grad");
  return names;
}
