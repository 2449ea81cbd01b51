/**
 * Test fixture model: the MLPerf Tiny keyword-spotting DS-CNN of `../shared/fixtures/tf_checkpoint/`
 * rebuilt in tfjs-layers, layer for layer as the project's `keras_model.py` builds it (see the
 * fixture's SOURCE.md), so that its Keras-2 checkpoint loads by object path
 * (`layer_with_weights-N/<attr>`: the N-th layer with weights, here 19 of them). A fixture
 * model, not a library model: nothing in lib/ uses it.
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";

/** The fixture's input: 49 MFCC frames x 10 coefficients x 1 channel. */
export const DS_CNN_INPUT_SHAPE = [49, 10, 1] as const;
/** Its 12 keyword classes (softmax). */
export const DS_CNN_CLASSES = 12;
/** Filters of every convolution. */
const FILTERS = 64;
/** Keras' BatchNormalization default (the fixture keeps it). */
const BN_EPSILON = 1e-3;

/**
 * The DS-CNN: Conv2D(64, 10x4, stride 2, same) -> BN -> ReLU -> Dropout(0.2) -> 4 x [3x3
 * depthwise (same) -> BN -> ReLU -> 1x1 Conv2D(64, same) -> BN -> ReLU] -> Dropout(0.4) ->
 * AveragePooling2D(25x5) -> Flatten -> Dense(12, softmax). Weights are random until loaded.
 *
 * The pooling is 25x5, the whole [25, 5] feature map, as the SavedModel's own Keras config says
 * (`saved_model.pb`, layer `average_pooling2d`: pool_size and strides [25, 5], valid); SOURCE.md
 * says 24x5 (the upstream code's int(49 / 2)), which loads the same weights but drops the last
 * row and disagrees with the `.tflite` (the fixture test caught it).
 */
export function buildDsCnn(): tfl.LayersModel {
  const bn = (name: string) =>
    tfl.layers.batchNormalization({ epsilon: BN_EPSILON, momentum: 0.99, name });
  const relu = (name: string) => tfl.layers.activation({ activation: "relu", name });
  const layers: tfl.layers.Layer[] = [
    // [b, 49, 10, 1] -> [b, 25, 5, 64]
    tfl.layers.conv2d({
      inputShape: [...DS_CNN_INPUT_SHAPE],
      filters: FILTERS,
      kernelSize: [10, 4],
      strides: [2, 2],
      padding: "same",
      name: "conv_0",
    }),
    bn("bn_0"),
    relu("relu_0"),
    tfl.layers.dropout({ rate: 0.2, name: "dropout_0" }),
  ];
  for (let i = 1; i <= 4; i++) {
    layers.push(
      tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", name: `dw_${i}` }),
      bn(`dw_bn_${i}`),
      relu(`dw_relu_${i}`),
      tfl.layers.conv2d({ filters: FILTERS, kernelSize: 1, padding: "same", name: `pw_${i}` }),
      bn(`pw_bn_${i}`),
      relu(`pw_relu_${i}`),
    );
  }
  layers.push(
    tfl.layers.dropout({ rate: 0.4, name: "dropout_1" }),
    // [b, 25, 5, 64] -> [b, 1, 1, 64]: the mean over the whole feature map
    tfl.layers.averagePooling2d({ poolSize: [25, 5], name: "avg_pool" }),
    tfl.layers.flatten({ name: "flatten" }),
    tfl.layers.dense({ units: DS_CNN_CLASSES, activation: "softmax", name: "dense" }),
  );
  return tfl.sequential({ name: "ds_cnn", layers });
}
