/**
 * Every TF.js kernel a training step uses: MobileFaceNet (x0.25), MobileNetV2 (x0.35) and
 * ResNet50 (x0.25) at 32x32, ArcHead + softmax cross-entropy, BN in training mode, SGD
 * (Nesterov) momentum with weight decay and gradient clipping: two `trainStep` calls per network
 * on the cpu backend, recorded with `tf.profile(...).kernelNames` (2026-12-02; ResNet50 alone
 * took 135 s on cpu, too slow to re-record in CI; `Acos` added by hand with the step's target-angle
 * metric, which the webgpu re-recording below caught). Op-name labels tf.profile also lists
 * (`fusedConv2d__op`, `fusedMatMul__op`) are not kernels and are left out.
 *
 * tests/webgpu_kernels_test.ts checks each of these on webgpu against cpu, and re-records a
 * MobileFaceNet step on webgpu to catch a kernel missing from this list.
 *
 * @module
 */

/** The kernels, sorted. */
export const TRAINING_KERNELS: readonly string[] = [
  "Acos",
  "Add",
  "AddN",
  "ArgMax",
  "BatchMatMul",
  "Cast",
  "ClipByValue",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "DepthwiseConv2dNative",
  "DepthwiseConv2dNativeBackpropFilter",
  "DepthwiseConv2dNativeBackpropInput",
  "Equal",
  "Exp",
  "FusedBatchNorm",
  "FusedConv2D",
  "Greater",
  "GreaterEqual",
  "Identity",
  "LessEqual",
  "Log",
  "LogicalAnd",
  "LogicalNot",
  "Max",
  "MaxPool",
  "MaxPoolGrad",
  "Maximum",
  "Mean",
  "Multiply",
  "Neg",
  "OneHot",
  "PadV2",
  "Pow",
  "Prelu",
  "RealDiv",
  "Relu",
  "Reshape",
  "Rsqrt",
  "Select",
  "Slice",
  "Sqrt",
  "Square",
  "Step",
  "Sub",
  "Sum",
  "Tile",
  "ZerosLike",
  "_FusedMatMul",
];

/** Training kernels of one network only (where the lists differ). */
export const KERNELS_ONLY_IN: Readonly<Record<string, readonly string[]>> = {
  MobileFaceNet: ["Greater", "Prelu"],
  ResNet50: ["MaxPool", "MaxPoolGrad"],
};
