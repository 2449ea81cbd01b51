import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "../../../tests/assert.ts";
import { registerWasmTrainingKernels } from "./mod.ts";
import { setupBackends } from "./test_util.ts";

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
