import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { contiguousFolds, writeInsightfaceBin } from "../../data/verification/mod.ts";
import { resolveSet, type SetResult } from "../../eval/mod.ts";
import { setDistanceHistogram } from "./pair_distances.ts";

/** A .bin of 20 pairs (2 per fold), even pairs "same"; images are distinct fake JPEG bytes. */
async function fixture(dir: string): Promise<string> {
  const P = 20;
  const images = Array.from({ length: 2 * P }, (_, i) => ({
    key: String(i),
    bytes: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, i),
  }));
  const path = join(dir, "tiny.bin");
  await writeInsightfaceBin({
    name: "tiny",
    images,
    pairs: Int32Array.from({ length: 2 * P }, (_, i) => i),
    issame: Array.from({ length: P }, (_, k) => k % 2 === 0),
    folds: contiguousFolds(P),
  }, path);
  return path;
}

Deno.test("setDistanceHistogram bins the kept embeddings' pair distances by kind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await fixture(dir);
    const set = await resolveSet(path);
    // Same pairs: one direction twice (distance 0); different pairs: opposite ones (4).
    const row = new Map<number, number[]>();
    set.issame.forEach((same, k) => {
      const v = [k + 1, 1, 0];
      row.set(set.pairs[2 * k], v);
      row.set(set.pairs[2 * k + 1], same ? v.map((x) => 3 * x) : v.map((x) => -x));
    });
    const result = {
      set: "tiny",
      metrics: { meanThreshold: 1.5, bestThresholds: [1.4, 1.6] },
      embeddings: {
        keys: set.images.map((im) => im.key),
        dim: 3,
        values: set.images.map((_, i) => row.get(i)!),
      },
    } as unknown as SetResult;
    const h = await setDistanceHistogram(result, path, { binWidth: 0.5 });
    assertEquals(h.same, [10, 0, 0, 0, 0, 0, 0, 0]);
    assertEquals(h.different, [0, 0, 0, 0, 0, 0, 0, 10]);
    assertEquals([h.meanThreshold, h.bestThresholds], [1.5, [1.4, 1.6]]);

    // Embeddings that do not belong to the set's images are refused, naming both.
    result.embeddings!.keys = result.embeddings!.keys.slice(1);
    let err: unknown;
    await setDistanceHistogram(result, path).catch((e) => (err = e));
    assert(err instanceof Error && err.name === "PairDistanceError", String(err));
    assert(String(err).includes("40 images now, 39 embeddings kept"), String(err));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
