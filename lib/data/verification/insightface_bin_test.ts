import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { BinFormatError, BinWriteError, ImageDecodeError, PickleError } from "./errors.ts";
import { writeInsightfaceBin } from "./bin_writer.ts";
import { readInsightfaceBin } from "./insightface_bin.ts";
import { buildBinFixtures } from "../../../tests/support/bin_fixtures.ts";
import { lfwRoot, PYTHON, samplePairs } from "../../../tests/support/verification_data.ts";
import { contiguousFolds } from "./verification_set.ts";

const LFW = lfwRoot();
const ignore = !LFW || !PYTHON;

/** 10 same + 10 different LFW pairs pickled by Python every way a .bin is found in the wild. */
async function fixtures() {
  const dir = await Deno.makeTempDir({ prefix: "bin_fixtures_" });
  const { paths, issame } = await samplePairs(LFW!, 10);
  const ops = await buildBinFixtures(dir, paths, issame);
  const sources = await Promise.all(paths.map((p) => Deno.readFile(p)));
  return { dir, ops, sources, issame };
}

Deno.test({
  name: "readInsightfaceBin reads Python 3 (protocols 2, 4, 5), Python 2 and numpy-label files",
  ignore,
  async fn() {
    const { dir, ops, sources, issame } = await fixtures();
    try {
      // The fixtures really use the opcodes they are meant to cover.
      assert(ops["py2.bin"].includes("BINSTRING") && !ops["py2.bin"].includes("BINBYTES"));
      assert(ops["py2.bin"].includes("BINPUT"));
      assert(ops["py2_np.bin"].includes("SHORT_BINSTRING") && ops["py2_np.bin"].includes("GLOBAL"));
      assert(ops["p2.bin"].includes("GLOBAL") && ops["p2.bin"].includes("REDUCE")); // _codecs
      assert(ops["p4.bin"].includes("FRAME") && ops["p4.bin"].includes("BINBYTES"));
      assert(ops["p4.bin"].includes("MEMOIZE") && ops["np_p4.bin"].includes("STACK_GLOBAL"));
      assert(ops["np_p5.bin"].includes("BYTEARRAY8"));
      const files = [
        "p2.bin",
        "p4.bin",
        "p5.bin",
        "py2.bin",
        "py2_np.bin",
        "np_p2.bin",
        "np_p4.bin",
        "np_p5.bin",
        "npscalar_p4.bin",
      ];
      for (const f of files) {
        const set = await readInsightfaceBin(join(dir, f), { verifyDecode: f === "p4.bin" });
        assertEquals(set.name, f.replace(".bin", ""));
        assertEquals(set.images.length, sources.length, f);
        set.images.forEach((img, i) => {
          assertEquals(img.key, String(i));
          assertEquals(img.bytes, sources[i], `${f} image ${i}`);
        });
        assertEquals(set.issame, issame, f);
        assertEquals(Array.from(set.pairs), sources.map((_, i) => i), f);
        assertEquals(set.folds, contiguousFolds(issame.length), f);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "readInsightfaceBin keeps image bytes as views into the file buffer (no copies)",
  ignore,
  async fn() {
    const { dir } = await fixtures();
    try {
      const set = await readInsightfaceBin(join(dir, "p4.bin"));
      const buf = set.images[0].bytes.buffer;
      assert(set.images.every((img) => img.bytes.buffer === buf));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "readInsightfaceBin rejects bad files with what, where and what to do",
  ignore,
  async fn() {
    const { dir } = await fixtures();
    try {
      const odd = await assertRejects(
        () => readInsightfaceBin(join(dir, "bad_odd.bin")),
        BinFormatError,
      );
      assert(odd.message.includes("odd number of images (39)"), odd.message);
      const count = await assertRejects(
        () => readInsightfaceBin(join(dir, "bad_count.bin")),
        BinFormatError,
      );
      assert(count.message.includes("20 pairs but issame_list has 21 labels"), count.message);
      const magic = await assertRejects(
        () => readInsightfaceBin(join(dir, "bad_magic.bin")),
        ImageDecodeError,
      );
      assertEquals(magic.key, "3");
      assert(magic.message.includes("not a JPEG or PNG"), magic.message);
      // A truncated JPEG passes the magic check; only the full decode catches it.
      await readInsightfaceBin(join(dir, "bad_truncated.bin"));
      const trunc = await assertRejects(
        () => readInsightfaceBin(join(dir, "bad_truncated.bin"), { verifyDecode: true }),
        ImageDecodeError,
      );
      assertEquals(trunc.key, "5");
      const dict = await assertRejects(
        () => readInsightfaceBin(join(dir, "bad_dict.bin")),
        PickleError,
      );
      assert(dict.message.includes("EMPTY_DICT"), dict.message);
      // A truncated pickle.
      const whole = await Deno.readFile(join(dir, "p4.bin"));
      await Deno.writeFile(join(dir, "cut.bin"), whole.subarray(0, whole.length >> 1));
      const cut = await assertRejects(() => readInsightfaceBin(join(dir, "cut.bin")), PickleError);
      assert(cut.message.includes("truncated"), cut.message);
      assert(cut.message.includes(join(dir, "cut.bin")), cut.message);
      // A random file, a missing file, a missing output folder: each names the path.
      await Deno.writeFile(
        join(dir, "random.bin"),
        Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255),
      );
      const random = await assertRejects(
        () => readInsightfaceBin(join(dir, "random.bin")),
        BinFormatError,
      );
      assert(random.message.includes(join(dir, "random.bin")), random.message);
      assert(random.message.includes("not a pickle"), random.message);
      const missing = await assertRejects(
        () => readInsightfaceBin(join(dir, "missing.bin")),
        BinFormatError,
      );
      assert(missing.message.includes(join(dir, "missing.bin")), missing.message);
      const set = await readInsightfaceBin(join(dir, "p4.bin"));
      const noDir = await assertRejects(
        () => writeInsightfaceBin(set, join(dir, "no", "such", "x.bin")),
        BinWriteError,
      );
      assert(noDir.message.includes(join(dir, "no", "such")), noDir.message);
      assert(noDir.message.includes("does not exist"), noDir.message);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
