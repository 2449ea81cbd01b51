import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "../../../tests/support/assert.ts";
import { registerWasmTrainingKernels } from "./mod.ts";
import { setupBackends } from "../../../tests/support/wasm_kernel_checks.ts";

Deno.test("registerWasmTrainingKernels is idempotent and keeps setupFuncs", async () => {
  await setupBackends();
  const first = registerWasmTrainingKernels();
  const second = registerWasmTrainingKernels();
  assertEquals(second, first);
  for (
    const name of [
      "Conv2DBackpropFilter",
      "DepthwiseConv2dNativeBackpropInput",
      "DepthwiseConv2dNativeBackpropFilter",
      "BatchMatMul",
      "Conv2DBackpropInput",
    ]
  ) {
    assertEquals(first.includes(name), true, name);
    assertEquals(tf.getKernel(name, "wasm") != null, true, name);
  }
  for (const name of ["BatchMatMul", "Conv2DBackpropInput", "Sum", "Mean"]) {
    assertEquals(typeof tf.getKernel(name, "wasm")?.setupFunc, "function", name);
  }
});
