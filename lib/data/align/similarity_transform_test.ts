import { assert, assertAlmostEquals, assertThrows } from "../../../tests/support/assert.ts";
import { ARCFACE_TEMPLATE_112 } from "./arcface_template.ts";
import {
  type Affine2x3,
  applyAffine,
  estimateSimilarityTransform,
  invertAffine,
  type Point,
  TransformError,
} from "./similarity_transform.ts";

function similarity(angle: number, scale: number, tx: number, ty: number): Affine2x3 {
  const c = scale * Math.cos(angle), s = scale * Math.sin(angle);
  return [[c, -s, tx], [s, c, ty]];
}

function residual(m: Affine2x3, src: readonly Point[], dst: readonly Point[]): number {
  return src.reduce((r, p, i) => {
    const q = applyAffine(m, p);
    return r + (q[0] - dst[i][0]) ** 2 + (q[1] - dst[i][1]) ** 2;
  }, 0);
}

Deno.test("estimateSimilarityTransform recovers a known rotation, scale and translation", () => {
  for (
    const [angle, scale, tx, ty] of [[0.3, 1.7, 12, -40], [-2.5, 0.4, 100, 3], [Math.PI, 1, 0, 0]]
  ) {
    const truth = similarity(angle, scale, tx, ty);
    const dst = ARCFACE_TEMPLATE_112.map((p) => applyAffine(truth, p));
    const m = estimateSimilarityTransform(ARCFACE_TEMPLATE_112, dst);
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 3; c++) assertAlmostEquals(m[r][c], truth[r][c], 1e-9);
    }
  }
});

Deno.test("estimateSimilarityTransform maps landmarks onto the template (< 0.5 px)", () => {
  // Landmarks of a face in a 250x250 photo: the template moved, rotated, scaled, plus noise.
  const noise = [[0.4, -0.3], [-0.2, 0.5], [0.3, 0.1], [-0.5, -0.2], [0.1, 0.3]];
  const truth = similarity(0.2, 1.9, 30, 20);
  const landmarks = ARCFACE_TEMPLATE_112.map((p, i) => {
    const q = applyAffine(truth, p);
    return [q[0] + noise[i][0], q[1] + noise[i][1]] as Point;
  });
  const m = estimateSimilarityTransform(landmarks, ARCFACE_TEMPLATE_112);
  landmarks.forEach((p, i) => {
    const q = applyAffine(m, p);
    assert(Math.hypot(q[0] - ARCFACE_TEMPLATE_112[i][0], q[1] - ARCFACE_TEMPLATE_112[i][1]) < 0.5);
  });
  // Least squares: no nearby similarity does better.
  const best = residual(m, landmarks, ARCFACE_TEMPLATE_112);
  for (const [da, db, dt] of [[1e-3, 0, 0], [0, 1e-3, 0], [0, 0, 1e-2], [-1e-3, 1e-3, -1e-2]]) {
    const [[a, mb, tx], [b, , ty]] = m;
    const p: Affine2x3 = [[a + da, -(b + db), tx + dt], [b + db, a + da, ty - dt]];
    assert(residual(p, landmarks, ARCFACE_TEMPLATE_112) > best);
    assert(mb === -b);
  }
});

Deno.test("estimateSimilarityTransform never reflects; invertAffine inverts", () => {
  // Mirrored points: the best similarity is not the reflection, and has det > 0.
  const mirrored = ARCFACE_TEMPLATE_112.map(([x, y]) => [112 - x, y] as Point);
  const m = estimateSimilarityTransform(ARCFACE_TEMPLATE_112, mirrored);
  assert(m[0][0] * m[1][1] - m[0][1] * m[1][0] >= 0);
  const t = similarity(0.7, 2.5, 5, 9);
  const back = applyAffine(invertAffine(t), applyAffine(t, [13, -4]));
  assertAlmostEquals(back[0], 13, 1e-9);
  assertAlmostEquals(back[1], -4, 1e-9);
  assertThrows(
    () => estimateSimilarityTransform([[1, 1], [1, 1]], [[0, 0], [1, 1]]),
    TransformError,
  );
  assertThrows(() => estimateSimilarityTransform([[1, 1]], [[0, 0]]), TransformError);
  assertThrows(() => invertAffine([[0, 0, 1], [0, 0, 1]]), TransformError);
});
