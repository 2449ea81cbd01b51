/**
 * Face-embedding networks: Keras-compatible ResNet50 and MobileNetV2 backbones with
 * arcface-tf2's "E" output layer, and MobileFaceNet.
 *
 * @module
 */
export * from "./embedding_model.ts";
export * from "./mobilefacenet.ts";
export * from "./mobilenet_v2.ts";
export * from "./output_layer.ts";
export * from "./resnet50.ts";
export { createSeedSequence, type SeedSequence } from "./seed_sequence.ts";
