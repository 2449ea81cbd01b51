import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { binPairOrder, writeInsightfaceBin } from "./bin_writer.ts";
import { BinWriteError } from "./errors.ts";
import { readInsightfaceBin } from "./insightface_bin.ts";
import { loadPairsSet } from "./lfw_pairs.ts";
import { pythonLoadBin } from "../../../tests/support/bin_fixtures.ts";
import { PYTHON } from "../../../tests/support/verification_data.ts";
import { lfwRoot } from "../../../tests/support/shared_data.ts";
import { repoRoot } from "../../io/repo_root.ts";
import { contiguousFolds, type VerificationSet } from "./verification_set.ts";

const LFW = lfwRoot();

/** A 20-pair set from the first 10 same and 10 different pairs of LFW fold 1. */
async function smallLfwSet(dir: string): Promise<VerificationSet> {
  const lines = (await Deno.readTextFile(join(LFW!, "pairs.txt"))).split("\n");
  const pairsFile = join(dir, "pairs20.txt");
  await Deno.writeTextFile(
    pairsFile,
    ["1\t10", ...lines.slice(1, 11), ...lines.slice(301, 311)].join("\n") + "\n",
  );
  return await loadPairsSet(LFW!, { pairsFile });
}

async function sha256(parts: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) all.set(p, (o += p.length) - p.length);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test({
  name: "writeInsightfaceBin: protocols 2 and 4 load in Python and read back identically",
  ignore: !LFW || !PYTHON,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bin_writer_" });
    try {
      const set = await smallLfwSet(dir);
      // A pairs file's folds are stratified (same and different pairs in every fold): the
      // writer writes the pairs fold by fold, so a reader's contiguous folds are those folds.
      const order = binPairOrder(set);
      const expected = order.flatMap((k) => [
        set.images[set.pairs[2 * k]].bytes,
        set.images[set.pairs[2 * k + 1]].bytes,
      ]); // a0, b0, a1, ... in fold order
      const hash = await sha256(expected);
      const labels = order.map((k) => (set.issame[k] ? "1" : "0")).join("");
      assertEquals(labels, "10101010101010101010"); // 10 folds of one same + one different pair
      for (const protocol of [2, 4] as const) {
        const out = join(dir, `p${protocol}.bin`);
        let last = 0;
        await writeInsightfaceBin(set, out, { protocol, onProgress: (d) => (last = d) });
        assertEquals(last, 20);
        // Python 2 style files need encoding='bytes' in Python 3, as insightface's load_bin does.
        const py = await pythonLoadBin(out, protocol === 2);
        assertEquals(py, { images: 40, issame: labels, sha256: hash });
        const back = await readInsightfaceBin(out);
        assertEquals(back.name, `p${protocol}`);
        assertEquals(back.images.map((i) => i.bytes), expected);
        assertEquals(back.issame, order.map((k) => set.issame[k]));
        assertEquals(Array.from(back.folds), order.map((k) => set.folds[k]));
      }
      // Atomic write: only the two outputs (and the pairs file) are left, no temp files.
      const names = [];
      for await (const e of Deno.readDir(dir)) names.push(e.name);
      assertEquals(names.sort(), ["p2.bin", "p4.bin", "pairs20.txt"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "make-bin CLI builds a .bin from a folder and a pairs file",
  ignore: !LFW || !PYTHON,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "make_bin_" });
    try {
      await smallLfwSet(dir);
      const out = join(dir, "x.bin");
      const cmd = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          join(repoRoot(), "cli", "make_bin.ts"),
          "--root",
          LFW!,
          "--pairs",
          join(dir, "pairs20.txt"),
          "--out",
          out,
        ],
      }).output();
      assert(cmd.success, new TextDecoder().decode(cmd.stderr));
      assertEquals((await pythonLoadBin(out, false)).images, 40);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "writeInsightfaceBin: many images of varied sizes (frames end between opcodes) load in Python",
  ignore: !PYTHON,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bin_writer_frames_" });
    try {
      // 400 pseudo-JPEGs of varied sizes.
      const images = Array.from({ length: 400 }, (_, i) => {
        // Image 0 ends 4 bytes short of the 64 KiB frame target (2 + 5 + 65525 bytes), so the
        // next image's header crosses it; image 2 is large (written outside frames).
        const size = i === 0 ? 65525 : i === 2 ? 70000 : 4 + ((i * 7919) % 6000);
        const bytes = new Uint8Array(size);
        bytes.set([0xff, 0xd8, 0xff, 0xe0]);
        for (let k = 4; k < bytes.length; k++) bytes[k] = (k * 31 + i) & 255;
        return { key: String(i), bytes };
      });
      const P = 200;
      const set: VerificationSet = {
        name: "frames",
        images,
        pairs: Int32Array.from({ length: 2 * P }, (_, k) => k),
        issame: Array.from({ length: P }, (_, p) => p % 3 === 0),
        folds: contiguousFolds(P),
      };
      const hash = await sha256(images.map((i) => i.bytes));
      const labels = set.issame.map((s) => (s ? "1" : "0")).join("");
      for (const protocol of [2, 4] as const) {
        const out = join(dir, `f${protocol}.bin`);
        await writeInsightfaceBin(set, out, { protocol });
        assertEquals(await pythonLoadBin(out, protocol === 2), {
          images: 400,
          issame: labels,
          sha256: hash,
        });
        const back = await readInsightfaceBin(out);
        assertEquals(back.images.map((i) => i.bytes), images.map((i) => i.bytes));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("writeInsightfaceBin refuses inconsistent sets and leaves no file behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bin_writer_bad_" });
  try {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0);
    const good: VerificationSet = {
      name: "t",
      images: [{ key: "a", bytes: jpeg }, { key: "b", bytes: jpeg }],
      pairs: new Int32Array(20).fill(1, 10),
      issame: new Array(10).fill(true),
      folds: contiguousFolds(10),
    };
    const out = join(dir, "x.bin");
    const uneven = { ...good, folds: Int32Array.from([0, 0, 0, 1, 2, 3, 4, 5, 6, 7]) };
    const e1 = await assertRejects(() => writeInsightfaceBin(uneven, out), BinWriteError);
    assert(e1.message.includes("contiguous"), e1.message);
    const badIndex = { ...good, pairs: new Int32Array(20).fill(5) };
    const e2 = await assertRejects(() => writeInsightfaceBin(badIndex, out), BinWriteError);
    assert(e2.message.includes("pair 0 refers to image 5"), e2.message);
    const short = { ...good, pairs: new Int32Array(4) };
    await assertRejects(() => writeInsightfaceBin(short, out), BinWriteError);
    await assertRejects(
      () => writeInsightfaceBin(good, out, { protocol: 3 as 2 }),
      BinWriteError,
    );
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
