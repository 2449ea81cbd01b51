import { alignFace, type RawImage } from "../../data/align/mod.ts";
import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { makeRawPhoto, RawPhotoError } from "./raw_photo.ts";
import { landmarkErrors } from "./landmark_error.ts";

/** A 112x112 RGB test crop with structure (so a misplaced warp shows in the pixels). */
function patternCrop(seed = 1): RawImage {
  const data = new Uint8Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++) {
    for (let x = 0; x < 112; x++) {
      const o = (y * 112 + x) * 3;
      data[o] = (x * 2 + seed * 40) % 256;
      data[o + 1] = (y * 2) % 256;
      data[o + 2] = ((x >> 3) + (y >> 3)) % 2 ? 220 : 30;
    }
  }
  return { data, width: 112, height: 112, channels: 3 };
}

function meanAbsDiffInterior(a: RawImage, b: RawImage, margin: number): number {
  let sum = 0, n = 0;
  for (let y = margin; y < 112 - margin; y++) {
    for (let x = margin; x < 112 - margin; x++) {
      for (let k = 0; k < 3; k++) {
        const o = (y * 112 + x) * 3 + k;
        sum += Math.abs(a.data[o] - b.data[o]);
        n++;
      }
    }
  }
  return sum / n;
}

Deno.test("makeRawPhoto: same seed same photo, another seed another", () => {
  const crop = patternCrop();
  const a = makeRawPhoto(crop, { seed: 7 }), b = makeRawPhoto(crop, { seed: 7 });
  const c = makeRawPhoto(crop, { seed: 8 });
  assertEquals(a.image.width, b.image.width);
  assertEquals(a.target.cropToCanvas, b.target.cropToCanvas);
  assert(a.image.data.every((v, i) => v === b.image.data[i]), "same seed, different pixels");
  assert(
    JSON.stringify(a.target.cropToCanvas) !== JSON.stringify(c.target.cropToCanvas),
    "another seed gave the same transform",
  );
});

Deno.test("makeRawPhoto: scale and rotation in range, the face inside a canvas >= 320 px", () => {
  const crop = patternCrop();
  for (let seed = 0; seed < 20; seed++) {
    const p = makeRawPhoto(crop, { seed });
    assert(p.target.scale >= 1.5 && p.target.scale <= 4, `scale ${p.target.scale}`);
    assert(Math.abs(p.target.rotationDeg) <= 30, `rotation ${p.target.rotationDeg}`);
    assert(p.image.width >= 320 && p.image.height >= 320);
    const { x, y, width, height } = p.target.box;
    assert(
      x >= 0 && y >= 0 && x + width <= p.image.width + 1e-9,
      `box ${JSON.stringify(p.target.box)}`,
    );
    assert(y + height <= p.image.height + 1e-9);
    for (const [lx, ly] of p.landmarks5) {
      assert(lx > 0 && ly > 0 && lx < p.image.width && ly < p.image.height);
    }
  }
});

Deno.test("makeRawPhoto: aligning with the true landmarks gives back the crop, error ~0", () => {
  const crop = patternCrop();
  for (const seed of [1, 2, 3]) {
    const p = makeRawPhoto(crop, { seed });
    const aligned = alignFace(p.image, p.landmarks5);
    const err = landmarkErrors(aligned.matrix, p.target.cropToCanvas);
    assert(Math.max(...err) < 1e-6, `errors ${err}`);
    // Interior pixels (away from the feathered edge) come back up to resampling blur.
    const d = meanAbsDiffInterior(aligned.image, crop, 14);
    assert(d < 12, `mean abs diff ${d.toFixed(2)} of the re-aligned interior`);
  }
});

Deno.test("makeRawPhoto: distractors are smaller than the target and do not overlap it", () => {
  const crop = patternCrop(1);
  const others = [patternCrop(2), patternCrop(3)];
  let placed = 0;
  for (let seed = 0; seed < 10; seed++) {
    const p = makeRawPhoto(crop, { seed, distractors: others });
    for (const d of p.distractors) {
      placed++;
      assert(d.scale <= 0.5 * p.target.scale + 1e-9, "a distractor is not smaller");
      const a = p.target.box, b = d.box;
      const apart = a.x >= b.x + b.width || b.x >= a.x + a.width || a.y >= b.y + b.height ||
        b.y >= a.y + a.height;
      assert(apart, "a distractor overlaps the target");
    }
  }
  assert(placed >= 10, `only ${placed} distractors placed in 10 photos`);
});

Deno.test("makeRawPhoto: a crop that is not 112x112 RGB is a RawPhotoError", () => {
  const bad = { data: new Uint8Array(92 * 112), width: 92, height: 112, channels: 1 };
  assertThrows(() => makeRawPhoto(bad), RawPhotoError, "112x112 RGB");
});
