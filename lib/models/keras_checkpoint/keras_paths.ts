/**
 * Keras-2 object paths of a TF.js model's weights, as `model.save_weights` names them in a TF2
 * checkpoint: `layer_with_weights-N/<attr>` is the N-th layer that has weights in the model's
 * layer order (TF.js keeps Keras' order: both sort a functional graph's layers by depth, then by
 * traversal order), a nested model adds one `layer_with_weights-N/` level, and `<attr>` is the
 * weight's Keras attribute (`kernel`, `bias`, `depthwise_kernel`, `gamma`, `beta`, `moving_mean`,
 * `moving_variance`, `alpha`, ...), the last part of its TF.js name.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

/** One weight of ours with the checkpoint object path it has under Keras' naming. */
export interface KerasWeightTarget {
  /** Object path without the attribute suffix, e.g. `layer_with_weights-0/layer_with_weights-3/kernel`. */
  path: string;
  /** Where it is in our model, e.g. `resnet50/conv1_conv/kernel` (for messages). */
  owner: string;
  /** Its shape. */
  shape: number[];
  /** The current value (not a copy: do not dispose it). */
  read(): tf.Tensor;
  /** Sets the value (a tensor of `shape`; the caller keeps and disposes it). */
  write(value: tf.Tensor): void;
}

/** Raised when a model's weights do not give unique Keras object paths. */
export class KerasPathError extends Error {
  override name = "KerasPathError";
}

/** Options of {@linkcode kerasWeightPaths}. */
export interface KerasWeightPathsOptions {
  /** Object path of the model inside the checkpoint, e.g. `layer_with_weights-0/` (default ""). */
  prefix?: string;
}

function attrOf(v: tfl.LayerVariable): string {
  const parts = v.originalName.split("/");
  return parts[parts.length - 1];
}

function walk(
  model: tfl.LayersModel,
  prefix: string,
  owner: string,
  out: KerasWeightTarget[],
): void {
  let n = 0;
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue; // Keras numbers only layers that have weights
    const base = `${prefix}layer_with_weights-${n++}/`;
    if (layer instanceof tfl.LayersModel) {
      walk(layer, base, `${owner}${layer.name}/`, out);
      continue;
    }
    for (const v of layer.weights) {
      const attr = attrOf(v);
      out.push({
        path: base + attr,
        owner: `${owner}${layer.name}/${attr}`,
        shape: [...v.shape] as number[],
        read: () => v.read(),
        write: (value) => v.write(value),
      });
    }
  }
}

/**
 * Every weight of `model` (trainable and not: BN moving statistics included) with its Keras
 * object path, in Keras' order.
 *
 * @throws {KerasPathError} when two weights would get the same path (two weights of one layer
 *   with the same attribute name).
 */
export function kerasWeightPaths(
  model: tfl.LayersModel,
  options: KerasWeightPathsOptions = {},
): KerasWeightTarget[] {
  const out: KerasWeightTarget[] = [];
  walk(model, options.prefix ?? "", "", out);
  const seen = new Map<string, string>();
  for (const t of out) {
    const other = seen.get(t.path);
    if (other !== undefined) {
      throw new KerasPathError(
        `Model '${model.name}': weights ${other} and ${t.owner} both map to the checkpoint path ` +
          `'${t.path}'; give the layer's weights distinct names.`,
      );
    }
    seen.set(t.path, t.owner);
  }
  return out;
}
