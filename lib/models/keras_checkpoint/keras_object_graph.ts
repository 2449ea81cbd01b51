/**
 * The object graph (`_CHECKPOINTABLE_OBJECT_GRAPH`) Keras-2's `model.save_weights` writes for a
 * functional model, rebuilt for a TF.js model so that TensorFlow restores our checkpoints like
 * its own: every model lists its layers as `layer-i` (all layers) and, for layers with weights,
 * `layer_with_weights-j` first (the same node); a layer lists its variables by attribute
 * (a BatchNormalization also its tracked `axis` list, an empty node); nodes are numbered
 * breadth first, as TensorFlow numbers them, and each variable's checkpoint key is its first
 * breadth-first path (so the `layer_with_weights-` one).
 *
 * Built from what TF 2.1-2.15's Keras (arcface-tf2's) writes; checked byte for byte against the
 * released arcface-tf2 checkpoint's graph (tests). Keras 3 writes another layout (`variables/N`).
 * Why not the reader's `buildObjectGraph`: it sees only variable paths, so it cannot know the
 * weightless layers, the `layer-i` aliases or BN's `axis` node that make Keras' bytes; this walks
 * the model instead (the numbering rule is the same: breadth first).
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import type { TrackableObjectGraph } from "../../data/tf_checkpoint/mod.ts";
import { kerasVariableKey } from "./load_keras_weights.ts";

/** One object of the graph: its named children, and for a variable its TF name. */
export interface KerasObjectNode {
  /** Children in TensorFlow's order (a node may appear under several names). */
  children: { name: string; node: KerasObjectNode }[];
  /** For a variable: its TF name (e.g. `conv1_conv/kernel`, the checkpoint's `full_name`). */
  fullName?: string;
}

/** Options of {@linkcode kerasModelNode}. */
export interface KerasModelNodeOptions {
  /** TF name of a variable (default `<layer name>/<attr>`, what Keras names it). */
  fullName?: (layerName: string, attr: string) => string;
}

/** An object without children or value (an input layer, an activation, a tracked empty list). */
export function emptyNode(): KerasObjectNode {
  return { children: [] };
}

/** A model node from its layers, each with or without weights, in Keras' layer order. */
export function kerasModelOf(
  layers: { node: KerasObjectNode; weighted: boolean }[],
): KerasObjectNode {
  const children: KerasObjectNode["children"] = [];
  let j = 0;
  layers.forEach(({ node, weighted }, i) => {
    if (weighted) children.push({ name: `layer_with_weights-${j++}`, node });
    children.push({ name: `layer-${i}`, node });
  });
  return { children };
}

function layerNode(
  layer: tfl.layers.Layer,
  fullName: (l: string, a: string) => string,
): KerasObjectNode {
  const children: KerasObjectNode["children"] = [];
  // Keras' BatchNormalization keeps `axis` as a list, which its tracking saves as a node.
  if (layer.getClassName() === "BatchNormalization") {
    children.push({ name: "axis", node: emptyNode() });
  }
  for (const v of layer.weights) {
    const parts = v.originalName.split("/");
    const attr = parts[parts.length - 1];
    children.push({ name: attr, node: { children: [], fullName: fullName(layer.name, attr) } });
  }
  return { children };
}

/** The object node of a TF.js functional model (nested models recursed), as Keras-2 saves it. */
export function kerasModelNode(
  model: tfl.LayersModel,
  options: KerasModelNodeOptions = {},
): KerasObjectNode {
  const fullName = options.fullName ?? ((l, a) => `${l}/${a}`);
  return kerasModelOf(model.layers.map((layer) => {
    const node = layer instanceof tfl.LayersModel
      ? kerasModelNode(layer, options)
      : layer.weights.length
      ? layerNode(layer, fullName)
      : emptyNode();
    return { node, weighted: layer.weights.length > 0 };
  }));
}

/**
 * Numbers the tree breadth first into a `TrackableObjectGraph` (node 0 = `root`) and returns it
 * with the checkpoint key of every variable, in node order.
 */
export function kerasObjectGraph(
  root: KerasObjectNode,
): { graph: TrackableObjectGraph; keys: string[] } {
  const ids = new Map<KerasObjectNode, number>([[root, 0]]);
  const paths = new Map<KerasObjectNode, string>([[root, ""]]);
  const order: KerasObjectNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    const node = order[i];
    for (const c of node.children) {
      if (ids.has(c.node)) continue;
      ids.set(c.node, order.length);
      const base = paths.get(node)!;
      paths.set(c.node, base ? `${base}/${c.name}` : c.name);
      order.push(c.node);
    }
  }
  const keys: string[] = [];
  const nodes = order.map((node) => {
    const attributes = node.fullName === undefined ? [] : [{
      name: "VARIABLE_VALUE",
      fullName: node.fullName,
      checkpointKey: kerasVariableKey(paths.get(node)!),
    }];
    keys.push(...attributes.map((a) => a.checkpointKey));
    return {
      children: node.children.map((c) => ({ nodeId: ids.get(c.node)!, localName: c.name })),
      attributes,
      slotVariables: [],
      extra: [],
    };
  });
  return { graph: { nodes }, keys };
}
