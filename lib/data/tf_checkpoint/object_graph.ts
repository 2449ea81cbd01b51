/**
 * The `_CHECKPOINTABLE_OBJECT_GRAPH` entry of a TF2 checkpoint: a serialised
 * `TrackableObjectGraph` (tensorflow/core/protobuf/trackable_object_graph.proto) naming each
 * object's children, the checkpoint keys of its attributes (variables), and the optimizer's
 * slot variables. Decoding keeps fields this code does not interpret (e.g. `registered_saver`,
 * `has_checkpoint_values`) as raw bytes so that {@linkcode encodeObjectGraph} gives TensorFlow's
 * bytes back.
 *
 * @module
 */
import { ProtoReader, ProtoWriter } from "./proto_wire.ts";

/** `ObjectReference`: a child of an object. */
export interface ObjectReference {
  /** Index of the child in `nodes`. */
  nodeId: number;
  /** Its name under the parent, e.g. "layer_with_weights-0", "kernel". */
  localName: string;
}

/** `SerializedTensor`: an attribute saved under a checkpoint key. */
export interface SerializedTensor {
  /** Attribute name, e.g. "VARIABLE_VALUE". */
  name: string;
  /** The variable's TF name, e.g. "conv2d/kernel". */
  fullName: string;
  /** Bundle key, e.g. "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE". */
  checkpointKey: string;
}

/** `SlotVariableReference`: an optimizer slot of a variable. */
export interface SlotVariableReference {
  /** Node of the variable the slot belongs to. */
  originalVariableNodeId: number;
  /** Slot name, e.g. "momentum", "m", "v". */
  slotName: string;
  /** Node of the slot variable. */
  slotVariableNodeId: number;
}

/** A field kept as it was read (number, wire type and raw value bytes, without the tag). */
export interface RawField {
  /** Field number. */
  field: number;
  /** Wire type. */
  wire: number;
  /** The value's bytes as encoded (a length-delimited field's payload, or the varint bytes). */
  raw: Uint8Array;
}

/** `TrackableObject`: one node. */
export interface TrackableObject {
  /** Children (the object path's steps). */
  children: ObjectReference[];
  /** Saved attributes. */
  attributes: SerializedTensor[];
  /** Slot variables (on the optimizer's node). */
  slotVariables: SlotVariableReference[];
  /** Fields not interpreted here (registered_saver, has_checkpoint_values, ...), in order. */
  extra: RawField[];
}

/** The decoded graph; node 0 is the root (the saved model / checkpoint object). */
export interface TrackableObjectGraph {
  /** All objects. */
  nodes: TrackableObject[];
}

function strings(bytes: Uint8Array, names: number[]): Map<number, string | number> {
  const out = new Map<number, string | number>();
  const r = new ProtoReader(bytes);
  const dec = new TextDecoder();
  while (r.more()) {
    const f = r.field();
    if (names.includes(f.field)) out.set(f.field, f.wire === 2 ? dec.decode(f.bytes) : f.value);
  }
  return out;
}

/** Decodes a serialised `TrackableObjectGraph`. Throws ProtoWireError on malformed bytes. */
export function decodeObjectGraph(bytes: Uint8Array): TrackableObjectGraph {
  const nodes: TrackableObject[] = [];
  const r = new ProtoReader(bytes);
  while (r.more()) {
    const f = r.field();
    if (f.field !== 1) continue;
    const node: TrackableObject = { children: [], attributes: [], slotVariables: [], extra: [] };
    const n = new ProtoReader(f.bytes);
    while (n.more()) {
      const start = n.pos;
      const g = n.field();
      if (g.field === 1) {
        const m = strings(g.bytes, [1, 2]);
        node.children.push({
          nodeId: (m.get(1) as number) ?? 0,
          localName: (m.get(2) as string) ?? "",
        });
      } else if (g.field === 2) {
        const m = strings(g.bytes, [1, 2, 3]);
        node.attributes.push({
          name: (m.get(1) as string) ?? "",
          fullName: (m.get(2) as string) ?? "",
          checkpointKey: (m.get(3) as string) ?? "",
        });
      } else if (g.field === 3) {
        const m = strings(g.bytes, [1, 2, 3]);
        node.slotVariables.push({
          originalVariableNodeId: (m.get(1) as number) ?? 0,
          slotName: (m.get(2) as string) ?? "",
          slotVariableNodeId: (m.get(3) as number) ?? 0,
        });
      } else {
        // Keep the value bytes exactly: re-read the tag to find where the value starts.
        const t = new ProtoReader(f.bytes.subarray(start, n.pos));
        t.varint();
        const raw = g.wire === 2 ? g.bytes : f.bytes.subarray(start + t.pos, n.pos);
        node.extra.push({ field: g.field, wire: g.wire, raw: raw.slice() });
      }
    }
    nodes.push(node);
  }
  return { nodes };
}

/** Serialises a graph as TensorFlow does (fields in number order, proto3 defaults skipped). */
export function encodeObjectGraph(graph: TrackableObjectGraph): Uint8Array {
  const w = new ProtoWriter();
  for (const node of graph.nodes) {
    const n = new ProtoWriter();
    for (const c of node.children) {
      const m = new ProtoWriter();
      if (c.nodeId) m.varintField(1, c.nodeId);
      if (c.localName) m.bytesField(2, c.localName);
      n.bytesField(1, m.finish());
    }
    for (const a of node.attributes) {
      const m = new ProtoWriter();
      if (a.name) m.bytesField(1, a.name);
      if (a.fullName) m.bytesField(2, a.fullName);
      if (a.checkpointKey) m.bytesField(3, a.checkpointKey);
      n.bytesField(2, m.finish());
    }
    for (const s of node.slotVariables) {
      const m = new ProtoWriter();
      if (s.originalVariableNodeId) m.varintField(1, s.originalVariableNodeId);
      if (s.slotName) m.bytesField(2, s.slotName);
      if (s.slotVariableNodeId) m.varintField(3, s.slotVariableNodeId);
      n.bytesField(3, m.finish());
    }
    for (const x of node.extra) {
      if (x.wire === 2) n.bytesField(x.field, x.raw);
      else n.tag(x.field, x.wire).raw(x.raw);
    }
    w.bytesField(1, n.finish());
  }
  return w.finish();
}

/**
 * Each node's object path from the root ("" for the root): the breadth-first first path, as
 * TensorFlow's checkpoint keys are built.
 */
export function objectPaths(graph: TrackableObjectGraph): (string | undefined)[] {
  const paths: (string | undefined)[] = new Array(graph.nodes.length);
  if (!graph.nodes.length) return paths;
  paths[0] = "";
  const queue = [0];
  while (queue.length) {
    const id = queue.shift()!;
    for (const c of graph.nodes[id].children) {
      if (c.nodeId < graph.nodes.length && paths[c.nodeId] === undefined) {
        paths[c.nodeId] = paths[id] ? `${paths[id]}/${c.localName}` : c.localName;
        queue.push(c.nodeId);
      }
    }
  }
  return paths;
}
