import { stratifiedFolds, type VerificationSet } from "../../data/verification/mod.ts";
import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { PairsSubsetError, subsetPairs } from "./pairs_subset.ts";

/** 50 same pairs (images 2k, 2k+1) then 50 different pairs (images 2k, 2k+3). */
function fakeSet(): VerificationSet {
  const images = Array.from({ length: 110 }, (_, i) => ({
    key: `img${i}`,
    bytes: new Uint8Array([i]),
  }));
  const pairs: number[] = [], issame: boolean[] = [];
  for (let k = 0; k < 50; k++) pairs.push(2 * k, 2 * k + 1), issame.push(true);
  for (let k = 0; k < 50; k++) pairs.push(2 * k, 2 * k + 3), issame.push(false);
  return {
    name: "fake",
    images,
    pairs: Int32Array.from(pairs),
    issame,
    folds: stratifiedFolds(issame),
  };
}

Deno.test("subsetPairs: first n/2 same and n/2 different pairs, only their images, 10 folds", () => {
  const full = fakeSet();
  const s = subsetPairs(full, 20);
  assertEquals(s.issame, [...Array(10).fill(true), ...Array(10).fill(false)]);
  // Same pair j still shows the same two images as in the full set.
  for (let j = 0; j < 20; j++) {
    const p = j < 10 ? j : 50 + (j - 10);
    assertEquals(s.images[s.pairs[2 * j]].key, full.images[full.pairs[2 * p]].key);
    assertEquals(s.images[s.pairs[2 * j + 1]].key, full.images[full.pairs[2 * p + 1]].key);
  }
  assertEquals(new Set(s.images.map((i) => i.key)).size, s.images.length);
  assertEquals(s.images.length, 21); // img0..img19 + img21 (the last different pair's 2nd image)
  assertEquals(new Set(s.folds).size, 10);
  assertEquals(subsetPairs(full, 1000), full);
  assertThrows(() => subsetPairs(full, 10), PairsSubsetError, "at least 20");
});
