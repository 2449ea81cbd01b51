/**
 * tfjs-node(-gpu) under Deno: find what an install left (package, binding, libtensorflow, CUDA
 * libraries, driver), say what is missing with the command that fixes it, and put the binding
 * where the loader looks (tfjs#8581).
 *
 * @module
 */
export * from "./system_view.ts";
export * from "./package_layout.ts";
export * from "./cuda_libs.ts";
export * from "./diagnose.ts";
export * from "./fix_binding.ts";
