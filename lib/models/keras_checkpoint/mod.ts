/**
 * Keras-2 checkpoints <-> TF.js models by object path (`layer_with_weights-N/<attr>`): the
 * generic mapping, used for arcface-tf2's ArcFaceModel and any other Keras functional model
 * rebuilt here with the same layer order.
 *
 * @module
 */
export * from "./keras_paths.ts";
export * from "./keras_mapping.ts";
export * from "./load_keras_weights.ts";
export * from "./arcface_tf2.ts";
export * from "./arcface_tf2_writer.ts";
export * from "./keras_object_graph.ts";
