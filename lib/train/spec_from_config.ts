/**
 * Maps a {@linkcode TrainConfig} onto what the replicas and the input pipeline take.
 *
 * @module
 */
import type * as tfl from "@tensorflow/tfjs-layers";
import type { TrainConfig } from "../config/mod.ts";
import { buildEmbeddingModel } from "../models/mod.ts";
import type { AugmentOptions } from "../data/pipeline/mod.ts";
import type { ReplicaSpec } from "./replica.ts";

/**
 * The replica spec of a config. Weight decay: scope "embedding" is arcface-tf2's L2 term
 * `w_decay * sum(W^2)` on the embedding Dense kernel, declared by the model; scope "all" adds
 * `w_decay * w` to every trainable weight's gradient (PyTorch SGD / insightface), and the
 * model then declares no L2 term of its own.
 */
export function replicaSpec(config: TrainConfig): ReplicaSpec {
  const all = config.weight_decay_scope === "all";
  return {
    backbone: config.backbone_type,
    inputSize: config.input_size,
    embdShape: config.embd_shape,
    width: config.width,
    dropout: config.dropout,
    modelWDecay: all ? 0 : config.w_decay,
    head: config.head_type,
    numClasses: config.num_classes,
    margin: config.margin,
    scale: config.logit_scale,
    seed: config.seed,
    momentum: config.momentum,
    nesterov: config.nesterov,
    decayAll: all ? config.w_decay : 0,
  };
}

/**
 * A config's embedding network (backbone + output layer) with no L2 term: the shape that
 * weights are loaded into or written from (init_from, export-ckpt), not a network to train.
 */
export function embeddingModelOf(config: TrainConfig): tfl.LayersModel {
  return buildEmbeddingModel({
    backbone: config.backbone_type,
    inputSize: config.input_size,
    embdShape: config.embd_shape,
    width: config.width,
    dropout: config.dropout,
    wDecay: 0,
  });
}

/** The pipeline's augmentation options of a config. */
export function augmentOptions(config: TrainConfig): AugmentOptions {
  const a = config.augment;
  return {
    resize: a.resize,
    randomCrop: a.random_crop,
    flip: a.flip,
    saturation: a.saturation === false ? false : [a.saturation[0], a.saturation[1]],
    brightness: a.brightness,
    brightnessScale: a.brightness_scale,
    clip: a.clip,
  };
}
