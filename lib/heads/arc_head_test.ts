import * as tf from "@tensorflow/tfjs-core";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
} from "../../tests/support/assert.ts";
import { setupBackend } from "../backend/mod.ts";
import { ArcHead } from "./arc_head.ts";
import { HeadConfigError } from "./head.ts";
import { softmaxCrossEntropy } from "./softmax_loss.ts";

const DEG = Math.PI / 180;
const unit = (deg: number, r = 1) => [r * Math.cos(deg * DEG), r * Math.sin(deg * DEG)];

/**
 * A 2-D head with 3 classes whose centres point at 0 deg, 90 deg and 180 deg; W's columns have
 * lengths 1, 2 and 3 to check that W is normalised per column.
 */
function makeHead(opts: { margin?: number; scale?: number } = {}): ArcHead {
  const head = new ArcHead({ embdShape: 2, numClasses: 3, seed: 1, ...opts });
  head.w.assign(tf.tensor2d([[1, 0, -3], [0, 2, 0]]));
  return head;
}

async function logitsOf(head: ArcHead, emb: number[][], labels: number[]): Promise<number[][]> {
  const e = tf.tensor2d(emb);
  const l = tf.tensor1d(labels, "int32");
  const out = head.logits(e, l);
  const rows = await out.array();
  tf.dispose([e, l, out]);
  return rows;
}

function assertRow(actual: number[], expected: number[], tol: number, what: string): void {
  assertEquals(actual.length, expected.length, what);
  actual.forEach((v, i) => assertAlmostEquals(v, expected[i], tol, `${what}, column ${i}`));
}

Deno.test("ArcHead logits match hand-computed values (m = 0.5, s = 64)", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const head = makeHead();
  const [m, s] = [0.5, 64];
  assertAlmostEquals(Math.cos(Math.PI - m), -0.8775825618903728, 1e-12); // threshold
  const rows = await logitsOf(head, [
    [3, 0], // on centre 0
    [1, 1], // 45 deg from centres 0 and 1, 135 deg from centre 2
    unit(150), // theta 150 deg: cos -0.866 > -0.878, still cos(theta + m)
    unit(170, 2), // theta 170 deg: cos -0.985 <= -0.878, threshold trick
    [-1, 0], // opposite centre 0 (threshold trick)
    [-0.5, 0], // on centre 2
  ], [0, 1, 0, 0, 0, 2]);
  const c = (deg: number) => Math.cos(deg * DEG);
  // The target on its centre: s cos(m), shifted by at most s sin(m) sqrt(eps) by the sin floor.
  assertRow(rows[0], [s * Math.cos(m), 0, -s], 0.02, "row 0");
  assertRow(rows[1], [s * c(45), s * Math.cos(45 * DEG + m), s * c(135)], 1e-4, "row 1");
  assertRow(rows[2], [s * Math.cos(150 * DEG + m), s * c(60), s * c(30)], 1e-4, "row 2");
  assertRow(rows[3], [s * (c(170) - m * Math.sin(m)), s * c(80), s * c(10)], 1e-4, "row 3");
  assertRow(rows[4], [s * (-1 - m * Math.sin(m)), 0, s], 1e-4, "row 4");
  assertRow(rows[5], [-s, 0, s * Math.cos(m)], 0.02, "row 5");
  head.dispose();
});

Deno.test("ArcHead logits with a custom margin and scale (m = 0.3, s = 10)", async () => {
  await setupBackend("wasm", { env: {}, trainingKernels: false });
  const head = makeHead({ margin: 0.3, scale: 10 });
  const [m, s] = [0.3, 10];
  const c = (deg: number) => Math.cos(deg * DEG);
  // cos(pi - 0.3) = -0.9553: 160 deg (cos -0.9397) keeps the margin, 170 deg (-0.9848) does not.
  const rows = await logitsOf(head, [unit(160), unit(170), unit(60, 4)], [0, 0, 1]);
  assertRow(rows[0], [s * Math.cos(160 * DEG + m), s * c(70), s * c(20)], 1e-4, "row 0");
  assertRow(rows[1], [s * (c(170) - m * Math.sin(m)), s * c(80), s * c(10)], 1e-4, "row 1");
  assertRow(rows[2], [s * c(60), s * Math.cos(30 * DEG + m), s * c(120)], 1e-4, "row 2");
  head.dispose();
});

Deno.test("ArcHead: no NaN in logits or gradients on and opposite to class centres", async () => {
  await setupBackend("cpu", { env: {} });
  const head = makeHead();
  const emb = tf.variable(tf.tensor2d([[2, 0], [-2, 0], [0, 5], [-1, 0], [0, -1]]));
  const labels = tf.tensor1d([0, 0, 1, 2, 1], "int32");
  const logits = head.logits(emb, labels);
  assert((await logits.data()).every(Number.isFinite), "finite logits");
  const cos = head.cosine(emb);
  assertEquals((await cos.array()).map((r) => r.map(Math.round)), [
    [1, 0, -1],
    [-1, 0, 1],
    [0, 1, 0],
    [-1, 0, 1],
    [0, -1, 0],
  ]);
  for (
    const f of [
      () => softmaxCrossEntropy(head.logits(emb, labels), labels),
      () => tf.sum(head.logits(emb, labels)) as tf.Scalar,
    ]
  ) {
    const { value, grads } = tf.variableGrads(f, [emb, head.w]);
    assert(Number.isFinite((await value.data())[0]), "finite loss");
    for (const [name, g] of Object.entries(grads)) {
      assert((await g.data()).every(Number.isFinite), `finite gradient for ${name}`);
    }
    tf.dispose([value, ...Object.values(grads)]);
  }
  tf.dispose([emb, labels, logits, cos]);
  head.dispose();
});

Deno.test("ArcHead gradient flows through cos(theta + m), not a straight-through shift", async () => {
  await setupBackend("cpu", { env: {} });
  const head = makeHead();
  const [m, s] = [0.5, 64];
  // A unit embedding at 45 deg, target class 1 (centre at 90 deg): theta = 45 deg.
  // target logit = s cos(theta + m), theta = 90 deg - phi, so d/dphi = s sin(theta + m), along
  // the tangent (-sin phi, cos phi); a straight-through margin would give s sin(theta) instead.
  const e = tf.tensor2d([unit(45)]);
  const labels = tf.tensor1d([1], "int32");
  const mask = tf.oneHot(labels, 3);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(head.logits(x as tf.Tensor2D, labels), mask)))(
    e,
  );
  const mag = s * Math.sin(45 * DEG + m);
  assertRow(
    (await g.array() as number[][])[0],
    [-mag * Math.SQRT1_2, mag * Math.SQRT1_2],
    1e-3,
    "grad",
  );
  tf.dispose([e, labels, mask, g]);
  head.dispose();
});

Deno.test("ArcHead: W is [embd, classes], glorot-uniform, seeded; options are checked", async () => {
  await setupBackend("cpu", { env: {} });
  const a = new ArcHead({ embdShape: 64, numClasses: 1000, seed: 7 });
  const b = new ArcHead({ embdShape: 64, numClasses: 1000, seed: 7 });
  assertEquals(a.w.shape, [64, 1000]);
  assertEquals(a.trainableVariables, [a.w]);
  const wa = await a.w.data();
  assertEquals(Array.from(wa), Array.from(await b.w.data()));
  const limit = Math.sqrt(6 / (64 + 1000));
  assert(wa.every((v) => Math.abs(v) <= limit), "within the glorot limit");
  assert(Math.max(...wa) > 0.9 * limit, "spans the glorot range");
  a.dispose();
  b.dispose();
  assert(a.w.isDisposed);
  assertThrows(() => new ArcHead({ embdShape: 2, numClasses: 0 }), HeadConfigError);
  assertThrows(() => new ArcHead({ embdShape: 2, numClasses: 3, margin: -0.1 }), HeadConfigError);
  const h = makeHead();
  const wrong = tf.zeros([2, 3]) as tf.Tensor2D;
  const labels = tf.tensor1d([0, 1], "int32");
  assertThrows(() => h.logits(wrong, labels), Error);
  tf.dispose([wrong, labels]);
  h.dispose();
});
