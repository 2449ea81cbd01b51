import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { type Affine2x3, applyAffine, invertAffine } from "./similarity_transform.ts";
import { ImageShapeError, type RawImage, warpAffine } from "./warp_affine.ts";

/** A 64x48 RGB image whose channels are linear in (x, y): R = 3x + 1, G = 4y + 2, B = 2x + y. */
function gradient(): RawImage {
  const width = 64, height = 48, data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([3 * x + 1, 4 * y + 2, 2 * x + y], (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

Deno.test("warpAffine: bilinear sampling of a linear gradient matches the analytic image", () => {
  const img = gradient();
  const c = 0.8 * Math.cos(0.35), s = 0.8 * Math.sin(0.35);
  const m: Affine2x3 = [[c, -s, 6.3], [s, c, -4.7]];
  const out = warpAffine(img, m, { width: 40, height: 30 });
  const inv = invertAffine(m);
  let checked = 0;
  for (let y = 0; y < 30; y++) {
    for (let x = 0; x < 40; x++) {
      const [sx, sy] = applyAffine(inv, [x, y]);
      if (sx < 0 || sy < 0 || sx > 63 || sy > 47) continue; // border pixels: not linear
      const expected = [3 * sx + 1, 4 * sy + 2, 2 * sx + sy];
      for (let k = 0; k < 3; k++) {
        assert(Math.abs(out.data[(y * 40 + x) * 3 + k] - expected[k]) <= 0.5 + 1e-9);
      }
      checked++;
    }
  }
  assert(checked > 900, `checked ${checked}`);
});

Deno.test("warpAffine: integer shift copies; half-pixel shift of a checkerboard averages", () => {
  const n = 8, data = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) data[y * n + x] = (x + y) % 2 ? 200 : 0;
  const img = { data, width: n, height: n, channels: 1 };
  const shifted = warpAffine(img, [[1, 0, 2], [0, 1, 1]], { width: n, height: n });
  for (let y = 1; y < n; y++) {
    for (let x = 2; x < n; x++) assertEquals(shifted.data[y * n + x], data[(y - 1) * n + x - 2]);
  }
  // Constant border: what comes from outside is 0.
  assertEquals(shifted.data[0], 0);
  const half = warpAffine(img, [[1, 0, 0.5], [0, 1, 0]], { width: n, height: n });
  for (let y = 0; y < n; y++) for (let x = 1; x < n; x++) assertEquals(half.data[y * n + x], 100);
});

Deno.test("warpAffine: reflect border mirrors with the edge repeated (OpenCV BORDER_REFLECT)", () => {
  const data = Uint8Array.from([10, 20, 30, 40]); // one row, 4 pixels
  const img = { data, width: 4, height: 1, channels: 1 };
  // Output x samples source x - 3: -3 -2 -1 0 1 2 3 4 5 6 -> c b a | a b c d | d c b.
  const out = warpAffine(img, [[1, 0, 3], [0, 1, 0]], { width: 10, height: 1, border: "reflect" });
  assertEquals(Array.from(out.data), [30, 20, 10, 10, 20, 30, 40, 40, 30, 20]);
  const fill = warpAffine(img, [[1, 0, 3], [0, 1, 0]], {
    width: 10,
    height: 1,
    borderValue: 7,
  });
  assertEquals(Array.from(fill.data), [7, 7, 7, 10, 20, 30, 40, 7, 7, 7]);
  assertThrows(
    () =>
      warpAffine({ data: new Uint8Array(5), width: 2, height: 2, channels: 1 }, [[1, 0, 0], [
        0,
        1,
        0,
      ]]),
    ImageShapeError,
  );
});
