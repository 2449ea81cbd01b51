import { join } from "node:path";
import sharp from "sharp";
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../../../tests/support/assert.ts";
import { ImageDecodeError, MissingImageError, PairsFileError } from "./errors.ts";
import { loadPairsSet, parsePairsText } from "./lfw_pairs.ts";
import { lfwRoot } from "../../../tests/support/shared_data.ts";
import { contiguousFolds } from "./verification_set.ts";

const LFW = lfwRoot();

Deno.test("parsePairsText: View 2 and View 1 headers, same and different lines", () => {
  const v2 = parsePairsText("2\t1\nA\t1\t2\nB\t1\tC\t3\nD\t2\t4\nE\t1\tF\t1\n", "p.txt");
  assertEquals(v2.declaredFolds, 2);
  assertEquals(v2.perClass, 1);
  assertEquals(v2.entries.map((e) => e.issame), [true, false, true, false]);
  assertEquals(v2.entries[1], {
    line: 3,
    a: { name: "B", index: 1 },
    b: { name: "C", index: 3 },
    issame: false,
  });
  const v1 = parsePairsText("1\r\nA 1 2\r\nB 1 C 3\r\n\r\n", "p.txt");
  assertEquals(v1.declaredFolds, 1);
  assertEquals(v1.entries.length, 2);
});

Deno.test("parsePairsText: malformed lines and count mismatches name file and line", () => {
  const bad = assertThrows(() => parsePairsText("1\nA\t1\t2\nB\t1\tC\n", "p.txt"), PairsFileError);
  assertEquals(bad.line, 3);
  assert(bad.message.startsWith("p.txt:3: 'C' is not an image number"), bad.message);
  const num = assertThrows(
    () => parsePairsText("1\nA\t1\tx\nB\t1\tC\t2\n", "p.txt"),
    PairsFileError,
  );
  assertEquals(num.line, 2);
  assert(num.message.includes("'x' is not an image number"), num.message);
  const fields = assertThrows(
    () => parsePairsText("1\nA\t1\nB\t1\tC\t2\n", "p.txt"),
    PairsFileError,
  );
  assert(
    fields.message.includes("p.txt:2:") && fields.message.includes("2 fields"),
    fields.message,
  );
  const count = assertThrows(() => parsePairsText("10\t300\nA\t1\t2\n", "p.txt"), PairsFileError);
  assert(count.message.includes("promises 6000 pairs") && count.message.includes("has 1"));
  assertThrows(() => parsePairsText("ten\n", "p.txt"), PairsFileError);
  assertThrows(() => parsePairsText("", "p.txt"), PairsFileError);
});

/** A tiny LFW-like tree in a temp dir: people A, B with 2 JPEGs each. */
async function tinyTree(pairs: string): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "pairs_" });
  for (const name of ["A", "B"]) {
    await Deno.mkdir(join(root, "images", name), { recursive: true });
    for (const i of [1, 2]) {
      const jpg = await sharp(new Uint8Array(8 * 8 * 3).fill(i * 60), {
        raw: { width: 8, height: 8, channels: 3 },
      }).jpeg().toBuffer();
      await Deno.writeFile(join(root, "images", name, `${name}_000${i}.jpg`), jpg);
    }
  }
  await Deno.writeTextFile(join(root, "pairs.txt"), pairs);
  return root;
}

const TEN_FOLDS = "10\t1\n" + "A\t1\t2\nA\t1\tB\t2\n".repeat(5) + "B\t1\t2\nB\t2\tA\t1\n".repeat(5);

Deno.test("loadPairsSet: dedupes images, pairs index them, folds are contiguous", async () => {
  const root = await tinyTree(TEN_FOLDS);
  try {
    const progress: number[] = [];
    const set = await loadPairsSet(root, { onProgress: (d) => progress.push(d) });
    assertEquals(set.images.length, 4);
    assertEquals(set.images.map((i) => i.key), [
      join("images", "A", "A_0001.jpg"),
      join("images", "A", "A_0002.jpg"),
      join("images", "B", "B_0002.jpg"),
      join("images", "B", "B_0001.jpg"),
    ]);
    assertEquals(Array.from(set.pairs.subarray(0, 4)), [0, 1, 0, 2]);
    assertEquals(set.issame.length, 20);
    assertEquals(set.folds, contiguousFolds(20));
    assertEquals(Array.from(set.folds.subarray(0, 4)), [0, 0, 1, 1]);
    assertEquals(set.declaredFolds, 10);
    assertEquals(progress.length, 4);
    assertEquals(set.images[0].bytes, await Deno.readFile(join(root, set.images[0].key)));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadPairsSet: a missing image is named with its line and path; nothing is read", async () => {
  const root = await tinyTree(TEN_FOLDS.replace("B\t2\tA\t1\nB", "B\t2\tA\t7\nB"));
  try {
    const e = await assertRejects(() => loadPairsSet(root), MissingImageError);
    assertEquals(e.line, 13);
    assertEquals(e.path, join(root, "images", "A", "A_0007.jpg"));
    assert(e.message.includes("pairs.txt:13:") && e.message.includes("A_0007.jpg"), e.message);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadPairsSet: an image that is not a JPEG/PNG is refused", async () => {
  const root = await tinyTree(TEN_FOLDS);
  try {
    await Deno.writeTextFile(join(root, "images", "B", "B_0001.jpg"), "not a jpeg");
    const e = await assertRejects(() => loadPairsSet(root), ImageDecodeError);
    assertEquals(e.key, join("images", "B", "B_0001.jpg"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "loadPairsSet: LFW View 2 pairs.txt has 6000 pairs over 7701 unique images",
  ignore: !LFW,
  async fn() {
    const set = await loadPairsSet(LFW!, { pairsFile: "pairs.txt" });
    assertEquals(set.name, "lfw_112x112/pairs.txt");
    assertEquals(set.issame.length, 6000);
    assertEquals(set.images.length, 7701);
    assertEquals(new Set(set.images.map((i) => i.key)).size, 7701);
    // The file's own folds: 10 x (300 same, 300 different) = the 10 contiguous folds.
    for (let p = 0; p < 6000; p++) {
      assertEquals(set.folds[p], Math.floor(p / 600));
      assertEquals(set.issame[p], p % 600 < 300);
    }
    assert(set.images.every((i) => i.bytes[0] === 0xff && i.bytes[1] === 0xd8));
  },
});

Deno.test({
  name:
    "loadPairsSet: LFW View 1 pairsDevTest.txt has 1000 pairs in 10 stratified folds of 50 + 50",
  ignore: !LFW,
  async fn() {
    const set = await loadPairsSet(LFW!, { pairsFile: "pairsDevTest.txt" });
    assertEquals(set.issame.length, 1000);
    assertEquals(set.declaredFolds, 1);
    assertEquals(set.issame.filter(Boolean).length, 500);
    // Same pairs 0..499, then different pairs 500..999: fold k holds same 50k..50k+49 and
    // different 500+50k..500+50k+49 (contiguous folds would each hold one class only).
    for (let k = 0; k < 10; k++) {
      const members = Array.from(set.folds).flatMap((f, i) => (f === k ? [i] : []));
      assertEquals(members.length, 100);
      assertEquals(members.filter((i) => set.issame[i]).length, 50);
      assertEquals(members[0], 50 * k);
      assertEquals(members[50], 500 + 50 * k);
    }
  },
});
