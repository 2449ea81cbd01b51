import { assertAlmostEquals, assertEquals } from "../../../tests/support/assert.ts";
import { downsampleRoc, rocAuc, rocCurve, slinearInterp, tarAtFar } from "./roc.ts";

Deno.test("rocCurve/rocAuc: separable -> AUC 1, inverted -> 0, tie -> 0.5", () => {
  const sep = rocCurve([0.1, 0.2, 1.0, 1.5], [1, 1, 0, 0]);
  // points after 0.1, 0.2, 1.0, 1.5 (dist <= th)
  assertEquals(sep.tpr, [0, 0.5, 1, 1, 1]);
  assertEquals(sep.fpr, [0, 0, 0, 0.5, 1]);
  assertEquals(sep.thresholds, [-1, 0.1, 0.2, 1.0, 1.5]);
  assertEquals(rocAuc(sep), 1);
  assertEquals(rocAuc(rocCurve([0.1, 0.2, 1.0, 1.5], [0, 0, 1, 1])), 0);
  // one distinct distance: (0,0) -> (1,1) diagonal
  assertEquals(rocAuc(rocCurve([2, 2, 2, 2], [1, 0, 1, 0])), 0.5);
  // same {0.1, 0.5}, different {0.3, 0.7}: P(same closer) = (1 + 1 + 0 + 1) / 4 = 0.75
  assertEquals(rocAuc(rocCurve([0.1, 0.3, 0.5, 0.7], [1, 0, 1, 0])), 0.75);
});

Deno.test("downsampleRoc keeps first and last, at most maxPoints", () => {
  const n = 2001;
  const roc = {
    fpr: Array.from({ length: n }, (_, i) => i / (n - 1)),
    tpr: Array.from({ length: n }, (_, i) => Math.sqrt(i / (n - 1))),
    thresholds: Array.from({ length: n }, (_, i) => i),
  };
  const s = downsampleRoc(roc, 500);
  assertEquals(s.fpr.length, 500);
  assertEquals(s.thresholds[0], 0);
  assertEquals(s.thresholds[499], 2000);
  assertEquals(downsampleRoc(roc, 5000).fpr.length, n);
});

Deno.test("slinearInterp: plateaus take the last knot of the run, like scipy slinear", () => {
  const x = [0, 0, 0.25, 0.25, 0.5, 1, 1];
  const y = [0, 1, 2, 3, 4, 5, 6];
  assertEquals(slinearInterp(x, y, 0), 1); // last of the 0-run
  assertEquals(slinearInterp(x, y, 0.125), 1.5); // between (0, 1) and (0.25, 2)
  assertEquals(slinearInterp(x, y, 0.25), 3);
  assertEquals(slinearInterp(x, y, 0.75), 4.5);
  assertEquals(slinearInterp(x, y, 1), 0); // max attained twice: degenerate last interval
  assertEquals(slinearInterp([0, 0.5, 1], [0, 1, 2], 1), 2);
});

Deno.test("tarAtFar: two given folds worked by hand", () => {
  // fold 0: same 1.5, 1.9999, 2.0, 2.5; different 0.5, 2.0
  // fold 1: same 0.2, 0.5, 0.6, 3.0; different 1.0, 2.0, 3.0, 3.5
  const d = [1.5, 1.9999, 2.0, 2.5, 0.5, 2.0, 0.2, 0.5, 0.6, 3.0, 1.0, 2.0, 3.0, 3.5];
  const same = [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0];
  const folds = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
  // Fold 0 trains on fold 1's different pairs {1, 2, 3, 3.5}: far_train(t) = #{d < t} / 4 =
  // 0 up to t = 1.000, 0.25 on 1.001..2.000, 0.5 on 2.001..3.000, ... Target 0.25 hits the
  // 0.25 plateau: its last threshold 2.000 -> threshold 2. Test: same 1.5, 1.9999 < 2 -> VAL
  // 2/4; different 0.5 < 2 -> FAR 1/2.
  // Fold 1 trains on {0.5, 2.0}: far 0 up to 0.500, 0.5 on 0.501..2.000, 1 above. Target 0.25
  // lies between (0, 0.500) and (0.5, 0.501) -> 0.5005. Test: same 0.2, 0.5 -> VAL 2/4; no
  // different pair below -> FAR 0.
  const r = tarAtFar(d, same, 0.25, { folds });
  assertAlmostEquals(r.foldThresholds[0], 2, 1e-12);
  assertAlmostEquals(r.foldThresholds[1], 0.5005, 1e-12);
  assertEquals(r.foldTars, [0.5, 0.5]);
  assertEquals(r.foldFars, [0.5, 0]);
  assertEquals(r.tar, 0.5);
  assertEquals(r.std, 0);
  assertEquals(r.far, 0.25);
  // target 0.1 on fold 0: between (0, 1.000) and (0.25, 1.001) -> 1.0004
  assertAlmostEquals(tarAtFar(d, same, 0.1, { folds }).foldThresholds[0], 1.0004, 1e-12);
});

Deno.test("tarAtFar: unreachable target -> threshold 0, VAL 0", () => {
  // all different pairs at 3.9995 > every grid threshold: far_train is 0 everywhere < 1e-3
  const d = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.5 : 3.9995));
  const same = d.map((_, i) => i % 2 === 0);
  const r = tarAtFar(d, same, 1e-3);
  assertEquals(r.foldThresholds, Array(10).fill(0));
  assertEquals(r.tar, 0);
  assertEquals(r.far, 0);
});
