import * as tfl from "@tensorflow/tfjs-layers";
import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { setupBackend } from "../../backend/mod.ts";
import type { CheckpointVariable, TfCheckpoint } from "../../data/tf_checkpoint/mod.ts";
import {
  checkKerasMapping,
  KerasCheckpointMismatchError,
  kerasMappingFits,
  kerasVariableKey,
  kerasWeightPaths,
  planKerasMapping,
} from "./mod.ts";

/** conv -> BN -> relu -> [nested: depthwise -> dense] -> prelu: every kind of weight layer. */
function tinyModel(): tfl.LayersModel {
  const inner = tfl.sequential({
    name: "inner",
    layers: [
      tfl.layers.depthwiseConv2d({ inputShape: [4, 4, 2], kernelSize: 3, name: "dw" }),
      tfl.layers.flatten({ name: "flat" }),
      tfl.layers.dense({ units: 3, name: "fc" }),
    ],
  });
  const input = tfl.input({ shape: [6, 6, 1], name: "x" });
  let y = tfl.layers.conv2d({ filters: 2, kernelSize: 3, name: "c" }).apply(
    input,
  ) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({ name: "b" }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.activation({ activation: "relu", name: "r" }).apply(y) as tfl.SymbolicTensor;
  y = inner.apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.prelu({ name: "p" }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: y, name: "tiny" });
}

function fakeCheckpoint(vars: { path: string; shape: number[]; kind?: string; slotOf?: string }[]) {
  const variables = vars.map((v, i): CheckpointVariable => ({
    path: v.path,
    kind: (v.kind ?? "model") as CheckpointVariable["kind"],
    slotOf: v.slotOf,
    slotName: v.slotOf ? "momentum" : undefined,
    entry: {
      key: kerasVariableKey(v.path),
      dtype: "float32",
      shape: v.shape,
      shardId: 0,
      offset: i * 4,
      size: 4,
      crc32c: 0,
    },
  }));
  const ckpt: TfCheckpoint = {
    prefix: "/x/fake.ckpt",
    numShards: 1,
    entries: variables.map((v) => v.entry),
    variables,
    header: {
      numShards: 1,
      endianness: 0,
      version: { producer: 1, minConsumer: 0, badConsumers: [] },
    },
  };
  return ckpt;
}

Deno.test("Keras paths: weighted layers numbered in order, nested models one level deeper", async () => {
  await setupBackend("cpu", { env: {}, trainingKernels: false });
  const model = tinyModel();
  try {
    const paths = kerasWeightPaths(model).map((t) => `${t.path} [${t.shape}]`);
    assertEquals(paths, [
      "layer_with_weights-0/kernel [3,3,1,2]",
      "layer_with_weights-0/bias [2]",
      "layer_with_weights-1/gamma [2]",
      "layer_with_weights-1/beta [2]",
      "layer_with_weights-1/moving_mean [2]",
      "layer_with_weights-1/moving_variance [2]",
      "layer_with_weights-2/layer_with_weights-0/depthwise_kernel [3,3,2,1]",
      "layer_with_weights-2/layer_with_weights-0/bias [2]",
      "layer_with_weights-2/layer_with_weights-1/kernel [8,3]",
      "layer_with_weights-2/layer_with_weights-1/bias [3]",
      "layer_with_weights-3/alpha [3]",
    ]);
    const owners = kerasWeightPaths(model, { prefix: "layer_with_weights-0/" }).map((t) => t.owner);
    assertEquals(owners[6], "inner/dw/depthwise_kernel");
    assert(
      kerasWeightPaths(model, { prefix: "layer_with_weights-0/" })[0].path
        .startsWith("layer_with_weights-0/layer_with_weights-0/"),
    );
  } finally {
    model.dispose();
  }
});

Deno.test("Keras mapping: one to one fits; slots and ignored paths are counted, not mapped", async () => {
  await setupBackend("cpu", { env: {}, trainingKernels: false });
  const model = tinyModel();
  try {
    const targets = kerasWeightPaths(model);
    const ckpt = fakeCheckpoint([
      ...targets.map((t) => ({ path: t.path, shape: t.shape })),
      { path: "layer_with_weights-4/weights", shape: [3, 10] }, // a head
      {
        path: "layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/momentum",
        shape: [3, 3, 1, 2],
        kind: "slot",
        slotOf: "layer_with_weights-0/kernel",
      },
      { path: "optimizer/iter", shape: [], kind: "optimizer" },
      { path: "save_counter", shape: [], kind: "other" },
    ]);
    const plan = planKerasMapping(targets, ckpt, { ignore: ["layer_with_weights-4/"] });
    assert(kerasMappingFits(plan));
    assertEquals(plan.assignments.length, 11);
    assertEquals(new Set(plan.assignments.map((a) => a.variable.path)).size, 11);
    assertEquals(plan.slots.byName, { momentum: 1 });
    assertEquals(plan.slots.ofMapped, 1);
    const skipped = Object.fromEntries(plan.skipped.map((s) => [s.kind, s.count]));
    assertEquals(skipped, { ignored: 1, slot: 1, optimizer: 1, other: 1 });
    checkKerasMapping(plan, ckpt, model.name); // no throw
    // Without `ignore` the head is a left-over.
    const strict = planKerasMapping(targets, ckpt);
    assertEquals(strict.leftover.map((v) => v.path), ["layer_with_weights-4/weights"]);
  } finally {
    model.dispose();
  }
});

Deno.test("Keras mapping: missing, left-over and mismatched variables are named with counts", async () => {
  await setupBackend("cpu", { env: {}, trainingKernels: false });
  const model = tinyModel();
  try {
    const targets = kerasWeightPaths(model);
    const vars = targets.map((t) => ({ path: t.path, shape: t.shape }));
    vars[8] = { path: vars[8].path, shape: [9, 3] }; // dense kernel of another input size
    vars.splice(10, 1); // no PReLU alpha
    vars.push({ path: "layer_with_weights-5/kernel", shape: [1] });
    const ckpt = fakeCheckpoint(vars);
    const plan = planKerasMapping(targets, ckpt);
    assertEquals(plan.missing.map((m) => m.path), ["layer_with_weights-3/alpha"]);
    assertEquals(plan.leftover.map((v) => v.path), ["layer_with_weights-5/kernel"]);
    assertEquals(plan.mismatched.map((m) => [m.path, m.checkpoint, m.ours]), [
      ["layer_with_weights-2/layer_with_weights-1/kernel", [9, 3], [8, 3]],
    ]);
    const e = assertThrows(
      () => checkKerasMapping(plan, ckpt, "tiny"),
      KerasCheckpointMismatchError,
    );
    for (
      const part of [
        "/x/fake.ckpt",
        "'tiny'",
        "1 shape mismatch(es)",
        "float32[9,3] vs inner/fc/kernel [8,3]",
        "1 of our weights missing",
        "layer_with_weights-3/alpha (p/alpha)",
        "1 checkpoint variable(s) left over: layer_with_weights-5/kernel float32[1]",
      ]
    ) assert(e.message.includes(part), `${part} not in: ${e.message}`);
    assertEquals(e.plan.assignments.length, 9);
    // Many left-overs: the first few, then a count.
    const many = fakeCheckpoint([
      ...targets.map((t) => ({ path: t.path, shape: t.shape })),
      ...Array.from({ length: 8 }, (_, i) => ({ path: `extra/${i}`, shape: [1] })),
    ]);
    const e2 = assertThrows(
      () => checkKerasMapping(planKerasMapping(targets, many), many, "tiny"),
      KerasCheckpointMismatchError,
    );
    assert(e2.message.includes("8 checkpoint variable(s) left over"), e2.message);
    assert(e2.message.includes("(3 more)"), e2.message);
  } finally {
    model.dispose();
  }
});
