import { assertEquals } from "../../tests/support/assert.ts";
import { warpAffine } from "../data/align/warp_affine.ts";
import { resizeBilinear } from "../data/pipeline/image_ops.ts";
import { resizeToSquare, sampleBilinear } from "../eval/models/embedder.ts";
import { mulberry32 } from "../random/seeded_rng.ts";
import { bilinearSampler, float32Fraction, type SampleBorder } from "./bilinear.ts";

const row = { data: [10, 20, 30, 40], width: 4, height: 1, channels: 1 };

function sampleRow(border: SampleBorder, xs: number[], fill = 0): number[] {
  const s = bilinearSampler(row, { border, fill });
  const out: number[] = [];
  for (const x of xs) s(x, 0, out, out.length);
  return out;
}

Deno.test("bilinearSampler: centres are exact, halfway blends, per border mode", () => {
  assertEquals(sampleRow("clamp", [0, 1.5, 3]), [10, 25, 40]);
  // Outside: one, two pixels left, then right of the edge.
  assertEquals(sampleRow("clamp", [-1, -2, 4, 5]), [10, 10, 40, 40]);
  assertEquals(sampleRow("reflect", [-1, -2, 4, 5]), [10, 20, 40, 30]);
  assertEquals(sampleRow("reflect101", [-1, -2, 4, 5]), [20, 30, 30, 20]);
  assertEquals(sampleRow("constant", [-1, -0.5, 3.5, 4], 100), [100, 55, 70, 100]);
});

Deno.test("bilinearSampler: interleaved channels and a 2-D blend", () => {
  const img = { data: [0, 100, 10, 110, 20, 120, 30, 130], width: 2, height: 2, channels: 2 };
  const s = bilinearSampler(img);
  const out = [0, 0];
  s(0.5, 0.5, out, 0);
  assertEquals(out, [15, 115]);
  s(0.25, 1, out, 0);
  assertEquals(out, [22.5, 122.5]);
});

Deno.test("float32Fraction keeps the integer part and rounds the fraction to float32", () => {
  assertEquals(float32Fraction(3.1), 3 + Math.fround(0.10000000000000009));
  assertEquals(float32Fraction(-0.25), -0.25);
  assertEquals(float32Fraction(7), 7);
});

function fnv(a: ArrayBufferView): number {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let x = 0x811c9dc5;
  for (const b of u) x = Math.imul(x ^ b, 0x01000193) >>> 0;
  return x;
}

Deno.test("resize, box re-crop and affine warp are bit-identical to before the shared sampler", () => {
  // Hashes of the outputs of the three hand-written samplers this module replaced.
  const rand = mulberry32(11);
  const w = 37, h = 29;
  const bytes = Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rand() * 256));
  const img = { data: bytes, width: w, height: h, channels: 3 };
  const m: [[number, number, number], [number, number, number]] = [
    [1.13, -0.31, 4.2],
    [0.27, 0.97, -3.1],
  ];
  const hashes = {
    warpConstant: fnv(warpAffine(img, m, { width: 45, height: 33, borderValue: 17 }).data),
    warpReflect: fnv(warpAffine(img, m, { width: 45, height: 33, border: "reflect" }).data),
    resize: fnv(
      resizeBilinear({ data: Float32Array.from(bytes), width: w, height: h }, 50, 41).data,
    ),
    box: fnv(sampleBilinear(bytes, h, w, 3, 31, -3.3, 2.7, 40.1, 35.9, "mirror")),
    square: fnv(resizeToSquare(bytes, h, w, 3, 23)),
  };
  assertEquals(hashes, {
    warpConstant: 368070652,
    warpReflect: 4123337781,
    resize: 228551616,
    box: 3219402915,
    square: 2830564094,
  });
});
