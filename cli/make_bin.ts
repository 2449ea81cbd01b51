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
import { loadPairsSet, writeInsightfaceBin } from "../lib/data/verification/mod.ts";
import { parseCliOrHelp, runCli, UsageError } from "./cli_main.ts";

const USAGE = `Usage: deno task make-bin --root <data root> --pairs pairs.txt --out x.bin
         [--protocol 4|2] [--verify-decode] [--name NAME]

  --root           folder holding images/<name>/<name>_NNNN.jpg
  --pairs          pairs file, absolute or relative to the root (default pairs.txt)
  --out            the .bin to write (its folder must exist)
  --protocol       pickle protocol: 4 (default, Python 3) or 2 (insightface's own style)
  --verify-decode  fully decode every image to catch corrupt ones
See docs/verification_and_alignment.md.`;

await runCli("make-bin", USAGE, async (args) => {
  const { values } = parseCliOrHelp(args, {
    root: { type: "string" },
    pairs: { type: "string", default: "pairs.txt" },
    out: { type: "string" },
    protocol: { type: "string", default: "4" },
    "verify-decode": { type: "boolean", default: false },
    name: { type: "string" },
  });
  const root = values.root as string | undefined, out = values.out as string | undefined;
  const pairs = values.pairs as string;
  if (!root) throw new UsageError("--root <folder holding images/> is required");
  if (!out) throw new UsageError("--out <file.bin> is required");
  const protocol = Number(values.protocol);
  if (protocol !== 2 && protocol !== 4) {
    throw new UsageError(`--protocol must be 2 or 4, got '${values.protocol}'`);
  }
  const set = await loadPairsSet(root, {
    pairsFile: pairs,
    name: values.name as string | undefined,
    verifyDecode: values["verify-decode"] as boolean,
  });
  console.error(
    `make-bin: ${set.issame.length} pairs, ${set.images.length} unique images from ${pairs}`,
  );
  await writeInsightfaceBin(set, out, { protocol });
  const size = (await Deno.stat(out)).size;
  console.log(
    `make-bin: wrote ${out} (${(size / 2 ** 20).toFixed(1)} MiB, protocol ${protocol}, ` +
      `${set.issame.length} pairs)`,
  );
});
