/**
 * arcface-deno: ArcFace training and evaluation on Deno + TensorFlow.js.
 *
 * - `backend/`: choose and set up the TF.js backend; the wasm training kernels.
 * - `models/`: backbones (ResNet50, MobileNetV2, MobileFaceNet) and the embedding model.
 * - `heads/`: ArcHead, NormHead, softmax cross-entropy.
 * - `train/`: the training loop, checkpoints, resume, export.
 * - `bench/`: throughput and memory measurements.
 * - `data/`: TFRecord I/O, conversion, the training pipeline, verification sets, alignment.
 * - `eval/`: verification metrics, face models behind one interface, evaluation.
 * - `config/`: the typed training config (YAML).
 * - `notebook/`: what the notebooks call, their displays, the headless runner, HTML reports.
 *
 * @module
 */
export * from "./backend/mod.ts";
export * from "./models/mod.ts";
export * from "./heads/mod.ts";
export * from "./train/mod.ts";
export * from "./bench/mod.ts";
export * from "./data/mod.ts";
export * from "./config/mod.ts";
export * from "./eval/mod.ts";
export * from "./notebook/display/mod.ts";
export * from "./notebook/publish/mod.ts";
export * from "./notebook/mod.ts";
export * from "./notebook/run/mod.ts";
