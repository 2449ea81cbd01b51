/**
 * `deno task make-bin`: builds an insightface verification `.bin` from an image folder and an
 * LFW-style pairs file (your own sets, e.g. kface.bin, or lfw.bin from LFW).
 *
 * Usage: deno task make-bin --root <data root> --pairs pairs.txt --out x.bin
 *        [--protocol 4|2] [--verify-decode] [--name NAME]
 *
 * `--root` holds `images/<name>/<name>_NNNN.jpg`; `--pairs` is absolute or relative to the
 * root, with the header `folds<TAB>n` or `n`, and lines `name i j` / `name1 i name2 j`.
 * `--protocol 4` (default) is what Python 3 writes; `--protocol 2` gives a Python 2 style file
 * like insightface's own (load it in Python 3 with `pickle.load(f, encoding='bytes')`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadPairsSet, writeInsightfaceBin } from "../lib/data/verification/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    root: { type: "string" },
    pairs: { type: "string", default: "pairs.txt" },
    out: { type: "string" },
    protocol: { type: "string", default: "4" },
    "verify-decode": { type: "boolean", default: false },
    name: { type: "string" },
  },
});

function fail(message: string): never {
  console.error(`make-bin: ${message}`);
  Deno.exit(2);
}

if (!values.root) fail("--root <folder holding images/> is required");
if (!values.out) fail("--out <file.bin> is required");
const protocol = Number(values.protocol);
if (protocol !== 2 && protocol !== 4) fail("--protocol must be 2 or 4");

try {
  const set = await loadPairsSet(values.root, {
    pairsFile: values.pairs,
    name: values.name,
    verifyDecode: values["verify-decode"],
  });
  console.error(
    `make-bin: ${set.issame.length} pairs, ${set.images.length} unique images from ${values.pairs}`,
  );
  await writeInsightfaceBin(set, values.out, { protocol });
  const size = (await Deno.stat(values.out)).size;
  console.log(
    `make-bin: wrote ${values.out} (${(size / 2 ** 20).toFixed(1)} MiB, protocol ${protocol}, ` +
      `${set.issame.length} pairs)`,
  );
} catch (e) {
  fail((e as Error).message);
}
