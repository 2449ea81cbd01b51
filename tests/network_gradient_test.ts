/**
 * Whole-network gradient check: the gradients of a full training loss (backbone -> embedding ->
 * ArcHead -> softmax cross-entropy, BN in training mode) on wasm, with this project's training
 * kernels, and on native (oneDNN; skipped where libdnnl2 is missing), against the pure-JS cpu
 * backend, variable by variable.
 */
import { assert } from "./support/assert.ts";
import { setupBackend } from "../lib/backend/mod.ts";
import { buildEmbeddingModel } from "../lib/models/mod.ts";
import { ArcHead } from "../lib/heads/mod.ts";
import { globalRelError, networkGradients, type TestNet } from "./support/network_gradients.ts";

/** Whether the native backend loads here (libdnnl2 installed). */
const nativeLoads = await setupBackend("native", { env: {} }).then(() => true, () => false);

/**
 * Whole-network gradient tolerance on native, per backbone: measured 1.6e-3 (MobileFaceNet) and
 * 8.0e-2 (MobileNetV2) against cpu, where wasm is at ~2e-5 / within 3x cpu's own sensitivity to a
 * 1e-6 input change (~1%). The error falls to 8.9e-6 with the native batch-norm kernel removed;
 * in the network that kernel's y is within ~7e-6 of a float64 reference and its dx within ~1e-7,
 * so the excess is the network amplifying oneDNN's batch-norm forward error (see
 * docs/native_backend.md; a fix is open). A wrong kernel gives order-1 errors.
 */
const NATIVE_TOLERANCE: Record<string, number> = { MobileFaceNet: 5e-3, MobileNetV2: 0.2 };

function gradients(
  backend: "wasm" | "cpu" | "native",
  net: TestNet,
  images: Float32Array,
  shape: [number, number, number, number],
): Promise<Map<string, Float32Array>> {
  return networkGradients(backend, { net, images, shape });
}

// MobileFaceNet (PReLU, residual adds, global depthwise conv) is well conditioned at this
// size: its gradients must agree to 1e-4. MobileNetV2 (depthwise, ReLU6, strided 3x3, 1x1, the
// arcface-tf2 output layer) is not: with BN over 4 images and 2x2 maps, a 1e-6 relative change
// of the input moves its gradients by ~1% on cpu alone (activations cross ReLU6's kinks). For it
// the test asks that wasm agree with cpu about as well as cpu agrees with itself under such a
// perturbation; a wrong kernel gives errors of order 1.
for (
  const [backbone, backend] of [
    { name: "MobileFaceNet", width: 0.25, tolerance: "absolute" },
    { name: "MobileNetV2", width: 0.35, tolerance: "relative to input sensitivity" },
  ].flatMap((b) => (["wasm", "native"] as const).map((k) => [b, k] as const))
) {
  Deno.test({
    name: `whole-network gradients of ${backbone.name} on ${backend} match cpu`,
    ignore: backend === "native" && !nativeLoads,
  }, async () => {
    await setupBackend("wasm", { env: {} });
    const net = {
      model: buildEmbeddingModel({
        backbone: backbone.name,
        inputSize: 64,
        embdShape: 16,
        width: backbone.width,
        dropout: 0,
        seed: 11,
      }),
      head: new ArcHead({ embdShape: 16, numClasses: 3, seed: 11 }),
    };
    const shape: [number, number, number, number] = [4, 64, 64, 3];
    const images = Float32Array.from({ length: 4 * 64 * 64 * 3 }, (_, i) => (i * 7919 % 255) / 255);
    const onBackend = await gradients(backend, net, images, shape);
    const onCpu = await gradients("cpu", net, images, shape);
    assert(onCpu.size > 20, `only ${onCpu.size} variables`);
    const err = globalRelError(onBackend, onCpu);
    if (backend === "native") {
      const tol = NATIVE_TOLERANCE[backbone.name];
      assert(err <= tol, `native vs cpu gradient error ${err} > ${tol}`);
    } else if (backbone.tolerance === "absolute") {
      assert(err <= 1e-4, `${backend} vs cpu gradient error ${err}`);
    } else {
      const nudged = images.map((v, i) => v * (1 + ((i * 2654435761) % 3 - 1) * 1e-6));
      const sensitivity = globalRelError(await gradients("cpu", net, nudged, shape), onCpu);
      assert(
        err <= 3 * sensitivity + 1e-4,
        `${backend} vs cpu gradient error ${err}; cpu vs cpu with a 1e-6 input change: ${sensitivity}`,
      );
    }
    await setupBackend("wasm", { env: {} });
    net.model.dispose();
    net.head.dispose();
  });
}
