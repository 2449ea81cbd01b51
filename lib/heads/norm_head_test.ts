import * as tf from "@tensorflow/tfjs-core";
import { assertAlmostEquals, assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { buildHead, HEAD_NAMES, parseHeadName } from "./build_head.ts";
import { ArcHead } from "./arc_head.ts";
import { HeadConfigError } from "./head.ts";
import { NormHead } from "./norm_head.ts";

Deno.test("NormHead: [B, C] logits = emb . W + b, labels unused", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const head = new NormHead({ embdShape: 3, numClasses: 4, seed: 1 });
  assertEquals([head.w.shape, head.b.shape], [[3, 4], [4]]);
  assertEquals(head.trainableVariables.length, 2);
  head.w.assign(tf.tensor2d([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]]));
  head.b.assign(tf.tensor1d([0, 0, 0, 10]));
  const emb = tf.tensor2d([[1, 2, 3], [-1, 0, 0.5]]);
  const out = head.logits(emb, tf.tensor1d([0, 3], "int32"));
  assertEquals(out.shape, [2, 4]);
  const rows = await out.array();
  [[1, 2, 3, 16], [-1, 0, 0.5, 9.5]].forEach((r, i) =>
    r.forEach((v, j) => assertAlmostEquals(rows[i][j], v, 1e-5))
  );
  tf.dispose([emb, out]);
  head.dispose();
});

Deno.test("buildHead builds by name; an unknown name is a HeadConfigError listing the valid ones", async () => {
  await setupBackend("cpu", { env: {} });
  const arc = buildHead("ArcHead", { embdShape: 4, numClasses: 5, margin: 0.3, scale: 30 });
  assertEquals(arc instanceof ArcHead, true);
  assertEquals([(arc as ArcHead).margin, (arc as ArcHead).scale], [0.3, 30]);
  const norm = buildHead("NormHead", { embdShape: 4, numClasses: 5 });
  assertEquals(norm instanceof NormHead, true);
  arc.dispose();
  norm.dispose();
  const e = assertThrows(
    () => buildHead("CosFace", { embdShape: 4, numClasses: 5 }),
    HeadConfigError,
  );
  assertEquals(e.message, "Unknown head 'CosFace'. Valid names: ArcHead, NormHead.");
  assertThrows(() => parseHeadName("archead"), HeadConfigError);
  assertEquals([...HEAD_NAMES], ["ArcHead", "NormHead"]);
});
