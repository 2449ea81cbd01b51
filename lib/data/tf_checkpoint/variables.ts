/**
 * Checkpoint keys -> variables: each tensor's object path (its key without
 * "/.ATTRIBUTES/VARIABLE_VALUE", what `tf.train.list_variables` shows), and its kind: a model
 * variable, an optimizer slot (of which variable, which slot), an optimizer scalar, or other
 * (metrics, the save counter). The object graph, when present, confirms the optimizer's node
 * and its slots; without it the keys alone decide (TensorFlow derives them from the same paths).
 *
 * @module
 */
import type { BundleEntry } from "./bundle_proto.ts";
import { objectPaths, type TrackableObjectGraph } from "./object_graph.ts";

/** The key of the serialised object graph. */
export const OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";
const VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE";
const SLOT_MARK = "/.OPTIMIZER_SLOT/";

/** One checkpoint tensor as a variable. */
export interface CheckpointVariable {
  /** Object path without the attribute suffix, e.g. "layer_with_weights-0/layer_with_weights-3/kernel". */
  path: string;
  /** Its index entry. */
  entry: BundleEntry;
  /**
   * "model" variable, optimizer "slot" (then slotOf = the path of the variable it belongs to,
   * slotName e.g. "momentum" / "m" / "v"), "optimizer" scalar, or "other" (metrics, save counter).
   */
  kind: "model" | "slot" | "optimizer" | "other";
  /** For a slot: the path of the variable it belongs to. */
  slotOf?: string;
  /** For a slot: its name. */
  slotName?: string;
}

// Roots of non-model state in Keras' object graphs (metrics, the save counter, Keras 3's
// exported optimizer / metric lists).
const OTHER_ROOTS = new Set(["save_counter", "keras_api", "metrics", "_metrics"]);

/** Classifies `entries` (the object-graph entry itself excluded) using `graph` when given. */
export function classifyVariables(
  entries: readonly BundleEntry[],
  graph?: TrackableObjectGraph,
): CheckpointVariable[] {
  const optimizerPaths = new Set<string>(["optimizer"]);
  const slotByKey = new Map<string, { slotOf: string; slotName: string }>();
  if (graph) {
    const paths = objectPaths(graph);
    const keyOf = (id: number) =>
      graph.nodes[id]?.attributes.find((a) => a.name === "VARIABLE_VALUE")?.checkpointKey;
    graph.nodes.forEach((node, id) => {
      if (!node.slotVariables.length) return;
      if (paths[id] !== undefined) optimizerPaths.add(paths[id]!);
      for (const s of node.slotVariables) {
        const key = keyOf(s.slotVariableNodeId), orig = keyOf(s.originalVariableNodeId);
        if (key && orig) slotByKey.set(key, { slotOf: stripSuffix(orig), slotName: s.slotName });
      }
    });
  }
  const out: CheckpointVariable[] = [];
  for (const entry of entries) {
    if (entry.key === OBJECT_GRAPH_KEY) continue;
    const path = stripSuffix(entry.key);
    const slot = slotByKey.get(entry.key) ?? slotFromKey(path);
    if (slot) {
      out.push({ path, entry, kind: "slot", ...slot });
      continue;
    }
    const root = path.split("/")[0];
    const underOptimizer = [...optimizerPaths].some((p) => path === p || path.startsWith(`${p}/`));
    const kind = underOptimizer
      ? "optimizer"
      : OTHER_ROOTS.has(root) || !entry.key.endsWith(VALUE_SUFFIX)
      ? "other"
      : "model";
    out.push({ path, entry, kind });
  }
  return out;
}

function stripSuffix(key: string): string {
  return key.endsWith(VALUE_SUFFIX) ? key.slice(0, -VALUE_SUFFIX.length) : key;
}

// "<var>/.OPTIMIZER_SLOT/<optimizer path>/<slot>" -> { slotOf: <var>, slotName: <slot> }.
function slotFromKey(path: string): { slotOf: string; slotName: string } | undefined {
  const i = path.indexOf(SLOT_MARK);
  if (i < 0) return undefined;
  const rest = path.slice(i + SLOT_MARK.length);
  return { slotOf: path.slice(0, i), slotName: rest.slice(rest.lastIndexOf("/") + 1) };
}
