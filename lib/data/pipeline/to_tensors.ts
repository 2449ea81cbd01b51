/**
 * Thin adapter from a pipeline {@linkcode Batch} to TF.js tensors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "./train_pipeline.ts";

/** A batch as tensors; the caller disposes both. */
export interface TensorBatch {
  /** [B, size, size, 3] float32 RGB in [0, 1]. */
  images: tf.Tensor4D;
  /** [B] int32 class labels. */
  labels: tf.Tensor1D;
}

/**
 * Wraps a batch's arrays in tensors on the current backend (which may keep a reference to the
 * arrays instead of copying: do not modify the batch afterwards). Dispose the result.
 */
export function batchToTensors(batch: Batch): TensorBatch {
  return {
    images: tf.tensor4d(batch.images, batch.shape, "float32"),
    labels: tf.tensor1d(batch.labels, "int32"),
  };
}
