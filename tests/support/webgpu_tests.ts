/**
 * Setup shared by the webgpu tests: cpu and wasm initialised, webgpu on whatever adapter this
 * machine has, software adapters allowed through the explicit opt-in (`allowSoftwareAdapter`,
 * the option form of `ARCFACE_WEBGPU_ALLOW_SOFTWARE=1`). In CI that adapter is Mesa llvmpipe:
 * a software renderer, no GPU.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { setupBackend } from "../../lib/backend/mod.ts";

/** Why the webgpu tests cannot run here (no adapter at all), or null when they can. */
export async function noWebgpuAdapter(): Promise<string | null> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return "this Deno offers no WebGPU (navigator.gpu is missing)";
  const adapter = await gpu.requestAdapter();
  return adapter ? null : "no WebGPU adapter at all (not even a software one such as llvmpipe)";
}

/** The adapter's description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
export async function webgpuAdapterName(): Promise<string> {
  const adapter = await navigator.gpu.requestAdapter();
  return adapter?.info.description || adapter?.info.vendor || "unknown";
}

/** Initialises cpu, wasm (with its training kernels) and webgpu; leaves webgpu active. */
export async function setupWebgpuTests(): Promise<void> {
  await setupBackend("cpu", { env: {} });
  await setupBackend("wasm", { env: {} });
  const choice = await setupBackend("webgpu", { env: {}, allowSoftwareAdapter: true });
  if (tf.getBackend() !== "webgpu") throw new Error(`webgpu not active: ${choice.reason}`);
}
