/**
 * Training kernels for the TF.js wasm backend: the conv gradients it lacks (tfjs#8474) and
 * fast replacements of the kernels and gradients that make a training step slow.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { installActivationGrads, maskedGradConfig } from "./activation_grads.ts";
import { batchMatMulConfig } from "./batch_mat_mul.ts";
import { installBatchNormLayer } from "./batch_norm_layer.ts";
import {
  BATCH_NORM_TRAIN,
  batchNormTrainConfigs,
  batchNormTrainGradConfig,
} from "./batch_norm_train.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { conv2dBackpropInputConfig } from "./conv2d_backprop_input.ts";
import { depthwiseConv2dBackpropFilterConfig } from "./depthwise_conv2d_backprop_filter.ts";
import { depthwiseConv2dBackpropInputConfig } from "./depthwise_conv2d_backprop_input.ts";
import { fusedBatchNormConfig } from "./fused_batch_norm.ts";
import { installFusedBatchNormGrad } from "./fused_batch_norm_grad.ts";
import { castConfig, identityConfig } from "./identity_alias.ts";
import { ORIGINAL_KERNELS } from "./kernel_util.ts";
import { installPreluGrad, preluGradConfig } from "./prelu_grad.ts";
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
    identityConfig(),
    castConfig(),
    fusedBatchNormConfig(),
    ...batchNormTrainConfigs(),
    maskedGradConfig(),
    preluGradConfig(),
  ];
}

/**
 * Registers the wasm training kernels: adds `Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput` and `DepthwiseConv2dNativeBackpropFilter`; replaces
 * `BatchMatMul`, `Conv2DBackpropInput`, `Sum`, `Mean`, `FusedBatchNorm`, and `Identity` /
 * same-dtype `Cast` (which then share data instead of copying), keeping each stock config's
 * setupFunc and calling the stock kernel where it is already fast. Adds the one-op
 * training-mode batch norm (`ArcfaceBatchNormTrain` and its gradient) and routes tfjs-layers'
 * `BatchNormalization` training calls to it on wasm; makes the `FusedBatchNorm`, `Relu`,
 * `Relu6`, `ClipByValue` and `Prelu` gradients single-pass on wasm (other backends keep the
 * stock ones). Idempotent; returns the names of the kernels, gradients (`*_grad`) and layer
 * patches (`BatchNormalization.call`) it registered or replaced.
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
  if (!tf.getGradient(BATCH_NORM_TRAIN)) tf.registerGradient(batchNormTrainGradConfig());
  names.push(`${BATCH_NORM_TRAIN}_grad`);
  names.push(...installActivationGrads());
  if (installPreluGrad()) names.push("Prelu_grad");
  if (installBatchNormLayer()) names.push("BatchNormalization.call");
  return names;
}
