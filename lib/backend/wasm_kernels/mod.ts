/**
 * Training kernels for the wasm backend (work in progress).
 *
 * @module
 */

/** Registers the wasm training kernels; returns the kernel names registered. */
export function registerWasmTrainingKernels(): string[] {
  return [];
}
