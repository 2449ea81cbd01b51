import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { arcfaceReleasedCkpt, kwsSavedModelDir } from "../../../tests/support/shared_data.ts";
import { openCheckpoint } from "./checkpoint_reader.ts";
import { TfCheckpointError } from "./errors.ts";
import {
  decodeObjectGraph,
  encodeObjectGraph,
  objectPaths,
  type TrackableObjectGraph,
} from "./object_graph.ts";
import { buildObjectGraph, type GraphSlot, type GraphVariable } from "./object_graph_builder.ts";
import { classifyVariables } from "./variables.ts";

// checkpoint key -> [object path, full name] of every variable node of a graph.
function keyedPaths(g: TrackableObjectGraph): Map<string, [string | undefined, string]> {
  const paths = objectPaths(g);
  const out = new Map<string, [string | undefined, string]>();
  g.nodes.forEach((n, id) => {
    for (const a of n.attributes) out.set(a.checkpointKey, [paths[id], a.fullName]);
  });
  return out;
}

function slotRefs(g: TrackableObjectGraph): string[] {
  const key = (id: number) => g.nodes[id].attributes[0].checkpointKey;
  return g.nodes.flatMap((n) =>
    n.slotVariables.map((s) =>
      `${key(s.originalVariableNodeId)} ${s.slotName} ${key(s.slotVariableNodeId)}`
    )
  );
}

for (
  const [name, path] of [["arcface-tf2 released", arcfaceReleasedCkpt()], [
    "kws",
    kwsSavedModelDir(),
  ]]
) {
  Deno.test({
    name:
      `buildObjectGraph from the ${name} fixture's variables gives Keras' keys, paths and slots`,
    ignore: !path,
    fn: async () => {
      const ckpt = await openCheckpoint(path!);
      const theirs = ckpt.objectGraph!;
      const named = keyedPaths(theirs);
      const variables: GraphVariable[] = [], slots: GraphSlot[] = [];
      for (const v of ckpt.variables) {
        const fullName = named.get(v.entry.key)![1];
        if (v.kind === "slot") {
          slots.push({ variablePath: v.slotOf!, slotName: v.slotName!, fullName });
        } else variables.push({ path: v.path, fullName });
      }
      const ours = buildObjectGraph(variables, { slots });
      // Same bytes survive the wire format.
      assertEquals(decodeObjectGraph(encodeObjectGraph(ours)), ours);
      // Every non-slot variable at the same object path under the same key and full name; slot
      // nodes are unreachable from the root in both (referenced from the optimizer only).
      assertEquals(keyedPaths(ours), named);
      assertEquals(slotRefs(ours).sort(), slotRefs(theirs).sort());
      // The reader classifies the checkpoint's entries the same way with either graph.
      assertEquals(classifyVariables(ckpt.entries, ours), ckpt.variables);
      assert(ours.nodes.length < theirs.nodes.length, "weightless layers are not modelled");
    },
  });
}

Deno.test("buildObjectGraph refuses a duplicate path and a slot of an unknown variable", () => {
  assertThrows(
    () => buildObjectGraph([{ path: "a/k" }, { path: "a/k" }]),
    TfCheckpointError,
    "a/k",
  );
  assertThrows(() => buildObjectGraph([{ path: "a" }, { path: "a/k" }]), TfCheckpointError, "a");
  assertThrows(
    () => buildObjectGraph([{ path: "a/k" }], { slots: [{ variablePath: "b", slotName: "m" }] }),
    TfCheckpointError,
    "unknown variable 'b'",
  );
});
