/**
 * Compute backends: choose and set up TF.js, and give wasm the kernels it needs to train.
 *
 * @module
 */
export * from "./setup_backend.ts";
export { registerWasmTrainingKernels } from "./wasm_kernels/mod.ts";
export {
  gpuDeviceNodes,
  type WebgpuAdapterReport,
  webgpuAdapterReport,
  webgpuUnavailableQuietly,
} from "./webgpu_probe.ts";
export {
  diagnoseTfjsNode,
  fixTfjsNodeBinding,
  type TfjsNodeDiagnosis,
  TfjsNodeFixError,
  type TfjsNodeProblem,
} from "./tfjs_node/mod.ts";
