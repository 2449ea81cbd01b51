/**
 * arcface-tf2's real checkpoints (fixtures: the released `e_8_b_40000.ckpt` index + object graph,
 * the log's section-1 run index with momentum slots) mapped onto our ResNet50 + output layer +
 * ArcHead, on the index alone (the weights shard is not in the fixture; the 85742-class head is
 * checked on its shape, never allocated).
 */
import type * as tfl from "@tensorflow/tfjs-layers";
import { assert, assertEquals, assertRejects, assertThrows } from "./support/assert.ts";
import { arcfaceReleasedCkpt, arcfaceSection1Ckpt } from "./support/shared_data.ts";
import { setupBackend } from "../lib/backend/mod.ts";
import { encodeObjectGraph, openCheckpoint, shardPath } from "../lib/data/tf_checkpoint/mod.ts";
import { buildEmbeddingModel } from "../lib/models/mod.ts";
import {
  arcFaceTf2ObjectGraph,
  checkKerasMapping,
  inferArcFaceTf2Architecture,
  KerasCheckpointMismatchError,
  kerasMappingFits,
  KerasWeightLoadError,
  loadArcFaceTf2,
  planArcFaceTf2,
} from "../lib/models/keras_checkpoint/mod.ts";

const released = arcfaceReleasedCkpt();
const section1 = arcfaceSection1Ckpt();
const HEAD: { shape: [number, number] } = { shape: [512, 85742] };

let resnet: tfl.LayersModel | undefined;
async function ourResNet50(): Promise<tfl.LayersModel> {
  await setupBackend("cpu", { env: {}, trainingKernels: false });
  resnet ??= buildEmbeddingModel({ backbone: "ResNet50", seed: 3, wDecay: 0 });
  return resnet;
}

Deno.test({
  name: "released arcface-tf2 ResNet50: all 329 variables land one to one on ours, equal shapes",
  ignore: !released,
  fn: async () => {
    const ckpt = await openCheckpoint(released!);
    assertEquals(inferArcFaceTf2Architecture(ckpt), {
      backbone: "ResNet50",
      embdShape: 512,
      width: 1,
      inputSize: 112,
      numClasses: 85742,
    });
    const model = await ourResNet50();
    const plan = planArcFaceTf2(model, ckpt, { head: HEAD });
    assert(kerasMappingFits(plan), JSON.stringify(plan.mismatched.slice(0, 3)));
    assertEquals(ckpt.variables.filter((v) => v.kind === "model").length, 329);
    assertEquals(plan.assignments.length, 329);
    assertEquals(new Set(plan.assignments.map((a) => a.variable.path)).size, 329);
    assertEquals(new Set(plan.assignments.map((a) => a.target.owner)).size, 329);
    for (const a of plan.assignments) assertEquals(a.variable.entry.shape, a.target.shape);
    // Every weight of ours (BN moving statistics included) is among them.
    assertEquals(plan.assignments.length - 1, model.weights.length);
    const owners = new Map(plan.assignments.map((a) => [a.variable.path, a.target.owner]));
    assertEquals(
      owners.get("layer_with_weights-0/layer_with_weights-0/kernel"),
      "resnet50/conv1_conv/kernel",
    );
    assertEquals(
      owners.get("layer_with_weights-0/layer_with_weights-105/moving_variance"),
      "resnet50/conv5_block3_3_bn/moving_variance",
    );
    assertEquals(
      owners.get("layer_with_weights-1/layer_with_weights-1/kernel"),
      "OutputLayer/dense/kernel",
    );
    // Without a head the head is ignored, not a left-over: the embedding model alone fits.
    const noHead = planArcFaceTf2(model, ckpt);
    assert(kerasMappingFits(noHead));
    assertEquals(noHead.assignments.length, 328);
    assertEquals(noHead.skipped, [{ kind: "ignored", count: 1 }]);
  },
});

Deno.test({
  name: "released arcface-tf2 ResNet50: our object graph is TensorFlow's, byte for byte",
  ignore: !released,
  fn: async () => {
    const ckpt = await openCheckpoint(released!);
    const model = await ourResNet50();
    const { graph, keys } = arcFaceTf2ObjectGraph(model, { headShape: HEAD.shape });
    assertEquals(graph.nodes.length, ckpt.objectGraph!.nodes.length);
    assertEquals(keys.length, 329);
    const ours = encodeObjectGraph(graph);
    // The stored string tensor is varint length + masked CRC + the graph's bytes.
    const entry = ckpt.entries.find((e) => e.key === "_CHECKPOINTABLE_OBJECT_GRAPH")!;
    const shard = await Deno.readFile(shardPath(ckpt.prefix, entry.shardId, ckpt.numShards));
    const stored = shard.subarray(
      entry.offset + entry.size - ours.length,
      entry.offset + entry.size,
    );
    assertEquals(ours.length, 53872);
    assert(ours.every((b, i) => b === stored[i]), "object graph bytes differ");
  },
});

Deno.test({
  name: "released arcface-tf2 ResNet50: another architecture fails naming what differs",
  ignore: !released,
  fn: async () => {
    await setupBackend("cpu", { env: {}, trainingKernels: false });
    const ckpt = await openCheckpoint(released!);
    const mbv2 = buildEmbeddingModel({ backbone: "MobileNetV2", seed: 1, wDecay: 0 });
    try {
      const e = assertThrows(
        () => checkKerasMapping(planArcFaceTf2(mbv2, ckpt), ckpt, mbv2.name),
        KerasCheckpointMismatchError,
      );
      assert(e.message.includes("e_8_b_40000.ckpt"), e.message);
      assert(e.message.includes("'arcface_MobileNetV2'"), e.message);
      assert(
        e.message.includes(
          "layer_with_weights-0/layer_with_weights-0/kernel float32[7,7,3,64] vs mobilenetv2_1.00_112/Conv1/kernel [3,3,3,32]",
        ),
        e.message,
      );
      assert(/\d+ checkpoint variable\(s\) left over/.test(e.message), e.message);
    } finally {
      mbv2.dispose();
    }
    const small = buildEmbeddingModel({ backbone: "ResNet50", embdShape: 256, seed: 1, wDecay: 0 });
    try {
      const plan = planArcFaceTf2(small, ckpt);
      assertEquals(plan.mismatched.map((m) => m.path), [
        "layer_with_weights-1/layer_with_weights-1/kernel",
        "layer_with_weights-1/layer_with_weights-1/bias",
        "layer_with_weights-1/layer_with_weights-2/gamma",
        "layer_with_weights-1/layer_with_weights-2/beta",
        "layer_with_weights-1/layer_with_weights-2/moving_mean",
        "layer_with_weights-1/layer_with_weights-2/moving_variance",
      ]);
      const e = assertThrows(
        () => checkKerasMapping(plan, ckpt, small.name),
        KerasCheckpointMismatchError,
      );
      assert(
        e.message.includes("float32[32768,512] vs OutputLayer/dense/kernel [32768,256]"),
        e.message,
      );
      assert(e.message.includes("6 shape mismatch(es)"), e.message);
    } finally {
      small.dispose();
    }
  },
});

Deno.test({
  name: "released arcface-tf2 ResNet50: loading weights names the missing shard file",
  ignore: !released,
  fn: async () => {
    const ckpt = await openCheckpoint(released!);
    const model = await ourResNet50();
    const e = await assertRejects(() => loadArcFaceTf2(model, ckpt), KerasWeightLoadError);
    assert(e.message.includes("e_8_b_40000.ckpt.data-00001-of-00002 is missing"), e.message);
    assert(e.message.includes("328 of the 328 weights"), e.message);
  },
});

Deno.test({
  name:
    "section-1 run checkpoint: maps the same, its 219 momentum slots (3 optimizer scalars) all belong to mapped variables",
  ignore: !section1,
  fn: async () => {
    const ckpt = await openCheckpoint(section1!);
    const model = await ourResNet50();
    // That run trained on 86,144 identities: the released head's 85,742 do not fit it.
    const arch = inferArcFaceTf2Architecture(ckpt);
    assertEquals(arch.numClasses, 86144);
    const wrongHead = planArcFaceTf2(model, ckpt, { head: HEAD });
    assertEquals(wrongHead.mismatched.map((m) => [m.path, m.checkpoint]), [
      ["layer_with_weights-2/layer_with_weights-0/weights", [512, 86144]],
    ]);
    const plan = planArcFaceTf2(model, ckpt, { head: { shape: [512, arch.numClasses!] } });
    assert(kerasMappingFits(plan));
    assertEquals(plan.assignments.length, 329);
    assertEquals(plan.slots.byName, { momentum: 219 });
    assertEquals(plan.slots.ofMapped, 219);
    assertEquals(plan.slots.orphans.length, 0);
    const skipped = Object.fromEntries(plan.skipped.map((s) => [s.kind, s.count]));
    assertEquals(skipped.slot, 219);
    assertEquals(skipped.optimizer, 3); // SGD's iter, decay, momentum
    resnet?.dispose();
    resnet = undefined;
  },
});
