import * as tf from "@tensorflow/tfjs-core";
import {
  compareBackends,
  nativeUnavailable,
  rand,
  setupBackends,
} from "../../../tests/support/wasm_kernel_checks.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;

Deno.test({
  name: "Reverse: native matches cpu (each axis, negative axis, several axes via cpu)",
  ignore,
  fn: async () => {
    await setupBackends();
    await compareBackends("reverse", () => {
      const x = rand([2, 5, 7, 3], 1900);
      return [
        tf.reverse(x, 2), // the flip test's mirror
        tf.reverse(x, 0),
        tf.reverse(x, -1),
        tf.reverse(x, [1, 2]), // several axes: cpu kernel
        tf.reverse(rand([6], 1901)),
      ];
    }, { backend: "native" });
  },
});
