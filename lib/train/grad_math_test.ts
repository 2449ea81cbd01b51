import { assertAlmostEquals, assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { addInto, clipByGlobalNorm, globalNorm } from "./grad_math.ts";

Deno.test("addInto sums element-wise and rejects different lengths", () => {
  const a = new Float32Array([1, 2, 3]);
  addInto(a, new Float32Array([0.5, -2, 1]));
  assertEquals(Array.from(a), [1.5, 0, 4]);
  assertThrows(() => addInto(a, new Float32Array(2)), RangeError);
});

Deno.test("globalNorm is the L2 norm and propagates NaN / Infinity", () => {
  assertAlmostEquals(globalNorm(new Float32Array([3, 4])), 5, 1e-9);
  assertEquals(globalNorm(new Float32Array([1, NaN])), NaN);
  assertEquals(globalNorm(new Float32Array([1, Infinity])), Infinity);
});

Deno.test("clipByGlobalNorm scales only above the limit and returns the norm before", () => {
  const x = new Float32Array([3, 4]);
  assertAlmostEquals(clipByGlobalNorm(x, 10), 5, 1e-9);
  assertEquals(Array.from(x), [3, 4]);
  assertAlmostEquals(clipByGlobalNorm(x, 1), 5, 1e-9);
  assertAlmostEquals(x[0], 0.6, 1e-6);
  assertAlmostEquals(x[1], 0.8, 1e-6);
});
