/**
 * Building a `TrackableObjectGraph` for a checkpoint we write, shaped as Keras' `save_weights`
 * writes it: one node per object-path step (root = node 0), node ids in breadth-first order,
 * each variable a leaf with a `VARIABLE_VALUE` attribute keyed `<path>/.ATTRIBUTES/VARIABLE_VALUE`,
 * optimizer slot variables appended after the breadth-first nodes and referenced from the
 * optimizer's node (keys `<var>/.OPTIMIZER_SLOT/<optimizer>/<slot>/.ATTRIBUTES/VARIABLE_VALUE`).
 *
 * What it cannot know from variable paths: Keras also records weightless layers, the `layer-N`
 * aliases of every layer and bookkeeping children (`keras_api`, `variables`, `signatures`, ...),
 * so a graph built here is the weight-bearing part of Keras' graph, not its bytes (TensorFlow's
 * restore matches objects by these names and needs no more).
 *
 * @module
 */
import { TfCheckpointError } from "./errors.ts";
import type { TrackableObject, TrackableObjectGraph } from "./object_graph.ts";

const VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE";

/** A variable to place in the graph. */
export interface GraphVariable {
  /** Object path, e.g. "layer_with_weights-0/layer_with_weights-3/kernel". */
  path: string;
  /** The TF variable name recorded as `full_name` (default: the path). */
  fullName?: string;
}

/** An optimizer slot of a variable. */
export interface GraphSlot {
  /** Path of the variable it belongs to (one of the graph's variables). */
  variablePath: string;
  /** Slot name, e.g. "momentum", "m", "v". */
  slotName: string;
  /** `full_name` (default "<optimizer>/<variable fullName>/<slot>"). */
  fullName?: string;
}

/** Options of {@linkcode buildObjectGraph}. */
export interface BuildObjectGraphOptions {
  /** Slot variables (each needs the optimizer node). */
  slots?: GraphSlot[];
  /** Object path of the optimizer (default "optimizer", as Keras' model.optimizer). */
  optimizerPath?: string;
}

/** The bundle key of a variable at `path`. */
export function variableKey(path: string): string {
  return `${path}${VALUE_SUFFIX}`;
}

/** The bundle key of a slot of the variable at `variablePath`. */
export function slotKey(
  variablePath: string,
  slotName: string,
  optimizerPath = "optimizer",
): string {
  return `${variablePath}/.OPTIMIZER_SLOT/${optimizerPath}/${slotName}${VALUE_SUFFIX}`;
}

function graphError(what: string): TfCheckpointError {
  return new TfCheckpointError(
    `cannot build the object graph: ${what}; fix the variable list given to buildObjectGraph`,
    "write",
    "(object graph)",
  );
}

interface TreeNode {
  children: Map<string, TreeNode>;
  variable?: GraphVariable;
  id: number;
}

/**
 * The object graph of `variables` (+ `options.slots`); serialise it with encodeObjectGraph and
 * pass the bytes to writeCheckpoint's `objectGraph`. Throws on a path given twice, a path that
 * is also another's parent, or a slot of an unknown variable ({@linkcode TfCheckpointError}).
 */
export function buildObjectGraph(
  variables: readonly GraphVariable[],
  options: BuildObjectGraphOptions = {},
): TrackableObjectGraph {
  const slots = options.slots ?? [];
  const optimizerPath = options.optimizerPath ?? "optimizer";
  const root: TreeNode = { children: new Map(), id: 0 };
  const ensure = (path: string): TreeNode => {
    let node = root;
    for (const step of path.split("/")) {
      if (!step) throw graphError(`object path '${path}' has an empty step`);
      let next = node.children.get(step);
      if (!next) node.children.set(step, next = { children: new Map(), id: -1 });
      if (node.variable) throw graphError(`variable '${node.variable.path}' cannot have children`);
      node = next;
    }
    return node;
  };
  for (const v of variables) {
    const node = ensure(v.path);
    if (node.variable || node.children.size) {
      throw graphError(`object path '${v.path}' is given twice or is another path's parent`);
    }
    node.variable = v;
  }
  if (slots.length) ensure(optimizerPath);
  // Breadth-first ids, as TensorFlow numbers the objects it saves.
  const order: TreeNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    for (const c of order[i].children.values()) {
      c.id = order.length;
      order.push(c);
    }
  }
  const nodes: TrackableObject[] = order.map((n) => ({
    children: [...n.children].map(([localName, c]) => ({ nodeId: c.id, localName })),
    attributes: n.variable
      ? [{
        name: "VARIABLE_VALUE",
        fullName: n.variable.fullName ?? n.variable.path,
        checkpointKey: variableKey(n.variable.path),
      }]
      : [],
    slotVariables: [],
    extra: [],
  }));
  if (slots.length) {
    const byPath = new Map(variables.map((v) => [v.path, v]));
    const optimizer = nodes[ensure(optimizerPath).id];
    for (const s of slots) {
      const v = byPath.get(s.variablePath);
      if (!v) {
        throw graphError(`slot '${s.slotName}' names an unknown variable '${s.variablePath}'`);
      }
      const id = nodes.length;
      nodes.push({
        children: [],
        attributes: [{
          name: "VARIABLE_VALUE",
          fullName: s.fullName ?? `${optimizerPath}/${v.fullName ?? v.path}/${s.slotName}`,
          checkpointKey: slotKey(s.variablePath, s.slotName, optimizerPath),
        }],
        slotVariables: [],
        extra: [],
      });
      optimizer.slotVariables.push({
        originalVariableNodeId: ensure(s.variablePath).id,
        slotName: s.slotName,
        slotVariableNodeId: id,
      });
    }
  }
  return { nodes };
}
