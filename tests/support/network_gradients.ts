/**
 * Whole-network gradients for the backend-vs-cpu checks (tests/network_gradient_test.ts for
 * wasm and native, tests/webgpu_network_test.ts for webgpu): a full training loss (backbone -> embedding
 * -> ArcHead -> softmax cross-entropy, BN in training mode) differentiated variable by variable.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { setupBackend } from "../../lib/backend/mod.ts";
import type { buildEmbeddingModel } from "../../lib/models/mod.ts";
import { type ArcHead, softmaxCrossEntropy } from "../../lib/heads/mod.ts";
import { trainableVariables } from "../../lib/train/replica.ts";

/** ||a - b|| / ||b|| over every variable's gradient taken together. */
export function globalRelError(
  a: Map<string, Float32Array>,
  b: Map<string, Float32Array>,
): number {
  let num = 0, den = 0;
  for (const [name, g] of b) {
    const h = a.get(name)!;
    for (let i = 0; i < g.length; i++) {
      num += (h[i] - g[i]) ** 2;
      den += g[i] ** 2;
    }
  }
  return Math.sqrt(num / den);
}

/** A backbone and its head. */
export interface TestNet {
  model: ReturnType<typeof buildEmbeddingModel>;
  head: ArcHead;
}

/**
 * Every trainable variable's gradient of the loss on `backend` for a batch of `shape[0]`
 * images (labels 0, 2, 1, 0, ... cycled over 3 classes), read back with `await data()`.
 * webgpu is set up with the software-adapter opt-in.
 */
export async function networkGradients(
  backend: "wasm" | "cpu" | "webgpu" | "native",
  input: { net: TestNet; images: Float32Array; shape: [number, number, number, number] },
): Promise<Map<string, Float32Array>> {
  const { net, images, shape } = input;
  await setupBackend(backend, { env: {}, allowSoftwareAdapter: true });
  const vars = trainableVariables(net);
  const x = tf.tensor4d(images, shape);
  const labels = tf.tensor1d(Array.from({ length: shape[0] }, (_, i) => [0, 2, 1][i % 3]), "int32");
  const { grads, value } = tf.variableGrads(() => {
    const emb = net.model.apply(x, { training: true }) as tf.Tensor2D;
    return softmaxCrossEntropy(net.head.logits(emb, labels), labels);
  }, vars);
  const out = new Map<string, Float32Array>();
  for (const v of vars) out.set(v.name, Float32Array.from(await grads[v.name].data()));
  tf.dispose([x, labels, value, ...Object.values(grads)]);
  return out;
}
