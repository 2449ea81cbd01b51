/**
 * Bad-input rows of convert, merge and make-bin (see bad_input_rows.ts).
 *
 * @module
 */
import {
  at,
  type BadInput,
  flagRows,
  imageTree,
  none,
  randomFile,
  tfrecordWithLabels,
  truncatedJpeg,
} from "./bad_input_kit.ts";

/** The rows of convert, merge and make-bin. */
export const DATA_ROWS: BadInput[] = [
  // ---- convert
  ...flagRows("convert", ["a", "b.tfrecord"]),
  {
    id: "convert-typo",
    cli: "convert",
    what: "--shardz (typo)",
    args: () => ["a", "b.tfrecord", "--shardz", "3"],
    mentions: () => ["--shardz"],
  },
  {
    id: "convert-no-args",
    cli: "convert",
    what: "no arguments",
    args: none,
    mentions: () => ["output.tfrecord"],
  },
  {
    id: "convert-one-arg",
    cli: "convert",
    what: "only the input",
    args: (c) => [at(c, "in")],
    mentions: () => ["output.tfrecord"],
  },
  {
    id: "convert-three-args",
    cli: "convert",
    what: "three positionals",
    args: () => ["a", "b", "c"],
    mentions: () => ["output.tfrecord"],
  },
  {
    id: "convert-shards-0",
    cli: "convert",
    what: "--shards 0",
    args: () => ["a", "b.tfrecord", "--shards", "0"],
    mentions: () => ["--shards"],
  },
  {
    id: "convert-shards-abc",
    cli: "convert",
    what: "--shards abc",
    args: () => ["a", "b.tfrecord", "--shards", "abc"],
    mentions: () => ["--shards", "abc"],
  },
  {
    id: "convert-seed-neg",
    cli: "convert",
    what: "--seed -1",
    args: () => ["a", "b.tfrecord", "--seed=-1"],
    mentions: () => ["--seed"],
  },
  {
    id: "convert-seed-frac",
    cli: "convert",
    what: "--seed 1.5",
    args: () => ["a", "b.tfrecord", "--seed", "1.5"],
    mentions: () => ["--seed"],
  },
  {
    id: "convert-schema",
    cli: "convert",
    what: "--schema jpeg",
    args: () => ["a", "b.tfrecord", "--schema", "jpeg"],
    mentions: () => ["--schema", "jpeg"],
  },
  {
    id: "convert-min-images",
    cli: "convert",
    what: "--min-images x",
    args: () => ["a", "b.tfrecord", "--min-images", "x"],
    mentions: () => ["--min-images"],
  },
  {
    id: "convert-concurrency",
    cli: "convert",
    what: "--concurrency 0",
    args: () => ["a", "b.tfrecord", "--concurrency", "0"],
    mentions: () => ["--concurrency"],
  },
  {
    id: "convert-shards-novalue",
    cli: "convert",
    what: "--shards without a value",
    args: () => ["a", "b.tfrecord", "--shards"],
    mentions: () => ["--shards"],
  },
  {
    id: "convert-missing-input",
    cli: "convert",
    what: "input folder does not exist",
    args: (c) => [at(c, "nope"), at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "nope")],
  },
  {
    id: "convert-input-file",
    cli: "convert",
    what: "input is a file (random bytes)",
    setup: (c) => randomFile(at(c, "r.bin")),
    args: (c) => [at(c, "r.bin"), at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "r.bin")],
  },
  {
    id: "convert-empty-input",
    cli: "convert",
    what: "input folder is empty",
    setup: (c) => Deno.mkdir(at(c, "empty")),
    args: (c) => [at(c, "empty"), at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "empty")],
  },
  {
    id: "convert-random-jpg",
    cli: "convert",
    what: "an identity's .jpg is random bytes",
    setup: async (c) => {
      await imageTree(c);
      await randomFile(at(c, "faces", "Aaron_Peirsol", "x.jpg"), 100);
    },
    args: (c) => [at(c, "faces"), at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "faces", "Aaron_Peirsol", "x.jpg")],
  },
  {
    id: "convert-trunc-jpg-verify",
    cli: "convert",
    what: "truncated JPEG with --verify-decode",
    setup: async (c) => {
      await imageTree(c);
      await truncatedJpeg(c, at(c, "faces", "Aaron_Peirsol", "cut.jpg"));
    },
    args: (c) => [at(c, "faces"), at(c, "o.tfrecord"), "--verify-decode"],
    mentions: (c) => [at(c, "faces", "Aaron_Peirsol", "cut.jpg")],
  },
  {
    id: "convert-trunc-jpg-default",
    cli: "convert",
    what: "truncated JPEG, default options",
    setup: async (c) => {
      await imageTree(c);
      await truncatedJpeg(c, at(c, "faces", "Aaron_Peirsol", "cut.jpg"));
    },
    args: (c) => [at(c, "faces"), at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "faces", "Aaron_Peirsol", "cut.jpg")],
  },
  {
    id: "convert-output-under-file",
    cli: "convert",
    what: "output folder is a file",
    setup: async (c) => {
      await imageTree(c);
      await randomFile(at(c, "afile"), 10);
    },
    args: (c) => [at(c, "faces"), at(c, "afile", "o.tfrecord")],
    mentions: (c) => [at(c, "afile")],
  },
  {
    id: "convert-kface-missing",
    cli: "convert",
    what: "kface: root does not exist",
    args: (c) => [`kface:${at(c, "nokface")}?S=1&L=1&E=1&C=1`, at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "nokface")],
  },
  {
    id: "convert-kface-bad-query",
    cli: "convert",
    what: "kface: spec with an unknown key Q",
    setup: (c) => Deno.mkdir(at(c, "k")),
    args: (c) => [`kface:${at(c, "k")}?Q=1`, at(c, "o.tfrecord")],
    mentions: () => ["Q"],
  },
  {
    id: "convert-kface-bad-template",
    cli: "convert",
    what: "kface: spec with template=dlib (not an alignment template)",
    setup: (c) => Deno.mkdir(at(c, "k")),
    args: (c) => [`kface:${at(c, "k")}?S=1&template=dlib`, at(c, "o.tfrecord")],
    mentions: () => ["template=dlib", "arcface_96"],
  },
  {
    id: "convert-aligned-bad-key",
    cli: "convert",
    what: "aligned: spec with an unknown key",
    setup: (c) => Deno.mkdir(at(c, "k")),
    args: (c) => [`aligned:${at(c, "k")}?sizee=96`, at(c, "o.tfrecord")],
    mentions: () => ["sizee"],
  },
  {
    id: "convert-stale-temp",
    cli: "convert",
    what: "leftover <out>.tmp-<dead pid> of a killed convert",
    succeeds: true,
    setup: async (c) => {
      await imageTree(c);
      await Deno.writeTextFile(at(c, "o.tfrecord.tmp-999999"), "partial");
    },
    args: (c) => [at(c, "faces"), at(c, "o.tfrecord")],
    mentions: (c) => [at(c, "o.tfrecord.tmp-999999")],
  },
  // ---- merge
  ...flagRows("merge", ["o.tfrecord", "a", "b"]),
  {
    id: "merge-no-args",
    cli: "merge",
    what: "no arguments",
    args: none,
    mentions: () => ["two sources"],
  },
  {
    id: "merge-one-source",
    cli: "merge",
    what: "output and one source",
    args: (c) => [at(c, "o.tfrecord"), at(c, "a")],
    mentions: () => ["two sources"],
  },
  {
    id: "merge-output-not-tfrecord",
    cli: "merge",
    what: "first argument not a .tfrecord",
    args: (c) => [at(c, "a"), at(c, "b"), at(c, "c")],
    mentions: (c) => [at(c, "a")],
  },
  {
    id: "merge-shards",
    cli: "merge",
    what: "--shards -3",
    args: (c) => [at(c, "o.tfrecord"), "a", "b", "--shards=-3"],
    mentions: () => ["--shards"],
  },
  {
    id: "merge-schema",
    cli: "merge",
    what: "--schema x",
    args: (c) => [at(c, "o.tfrecord"), "a", "b", "--schema", "x"],
    mentions: () => ["--schema"],
  },
  {
    id: "merge-missing-source",
    cli: "merge",
    what: "a source does not exist",
    setup: async (c) => void await imageTree(c),
    args: (c) => [at(c, "o.tfrecord"), at(c, "faces"), at(c, "gone")],
    mentions: (c) => [at(c, "gone")],
  },
  {
    id: "merge-tfrecord-no-labels",
    cli: "merge",
    what: ".tfrecord source without labels.tsv",
    setup: async (c) => {
      await imageTree(c);
      await tfrecordWithLabels(c);
      await Deno.remove(at(c, "src.labels.tsv"));
    },
    args: (c) => [at(c, "o.tfrecord"), at(c, "faces"), at(c, "src.tfrecord")],
    mentions: (c) => [at(c, "src.labels.tsv")],
  },
  {
    id: "merge-random-tfrecord",
    cli: "merge",
    what: "random bytes as a .tfrecord source",
    setup: async (c) => {
      await imageTree(c);
      await randomFile(at(c, "src.tfrecord"));
      await Deno.writeTextFile(at(c, "src.labels.tsv"), "label\tidentity\tcount\n0\ta\t4\n");
    },
    args: (c) => [at(c, "o.tfrecord"), at(c, "faces"), at(c, "src.tfrecord")],
    mentions: (c) => [at(c, "src.tfrecord")],
  },
  {
    id: "merge-truncated-tfrecord",
    cli: "merge",
    what: "truncated .tfrecord source",
    setup: async (c) => {
      await imageTree(c);
      await tfrecordWithLabels(c, 500);
    },
    args: (c) => [at(c, "o.tfrecord"), at(c, "faces"), at(c, "src.tfrecord")],
    mentions: (c) => [at(c, "src.tfrecord")],
  },
  {
    id: "merge-random-labels",
    cli: "merge",
    what: "labels.tsv is random bytes",
    setup: async (c) => {
      await imageTree(c);
      await tfrecordWithLabels(c);
      await randomFile(at(c, "src.labels.tsv"), 300);
    },
    args: (c) => [at(c, "o.tfrecord"), at(c, "faces"), at(c, "src.tfrecord")],
    mentions: (c) => [at(c, "src.labels.tsv")],
  },
  {
    id: "merge-stale-temp",
    cli: "merge",
    what: "leftover <out>.tmp-<dead pid> of a killed merge",
    succeeds: true,
    setup: async (c) => {
      await imageTree(c, "f1");
      await imageTree(c, "f2");
      await Deno.writeTextFile(at(c, "o.tfrecord.tmp-999998"), "partial");
    },
    args: (c) => [at(c, "o.tfrecord"), at(c, "f1"), at(c, "f2")],
    mentions: (c) => [at(c, "o.tfrecord.tmp-999998")],
  },
  // ---- make-bin
  ...flagRows("make_bin", ["--root", "r", "--out", "o.bin"]),
  {
    id: "make-bin-no-root",
    cli: "make_bin",
    what: "--root missing",
    args: (c) => ["--out", at(c, "o.bin")],
    mentions: () => ["--root"],
  },
  {
    id: "make-bin-no-out",
    cli: "make_bin",
    what: "--out missing",
    args: (c) => ["--root", c.lfw],
    mentions: () => ["--out"],
  },
  {
    id: "make-bin-protocol",
    cli: "make_bin",
    what: "--protocol 3",
    args: (c) => ["--root", c.lfw, "--out", at(c, "o.bin"), "--protocol", "3"],
    mentions: () => ["--protocol"],
  },
  {
    id: "make-bin-root-missing",
    cli: "make_bin",
    what: "--root does not exist",
    args: (c) => ["--root", at(c, "nope"), "--out", at(c, "o.bin")],
    mentions: (c) => [at(c, "nope")],
  },
  {
    id: "make-bin-pairs-missing",
    cli: "make_bin",
    what: "--pairs file does not exist",
    args: (c) => ["--root", c.lfw, "--pairs", at(c, "p.txt"), "--out", at(c, "o.bin")],
    mentions: (c) => [at(c, "p.txt")],
  },
  {
    id: "make-bin-pairs-random",
    cli: "make_bin",
    what: "--pairs is random bytes",
    setup: (c) => randomFile(at(c, "p.txt"), 500),
    args: (c) => ["--root", c.lfw, "--pairs", at(c, "p.txt"), "--out", at(c, "o.bin")],
    mentions: (c) => [at(c, "p.txt")],
  },
  {
    id: "make-bin-pairs-missing-image",
    cli: "make_bin",
    what: "pairs name an image that is not there",
    setup: (c) =>
      Deno.writeTextFile(
        at(c, "p.txt"),
        "1\nNo_Such_Person\t1\t2\nNo_Such_Person\t1\tOther_Person\t1\n",
      ),
    args: (c) => ["--root", c.lfw, "--pairs", at(c, "p.txt"), "--out", at(c, "o.bin")],
    mentions: () => ["No_Such_Person"],
  },
  {
    id: "make-bin-pairs-bad-line",
    cli: "make_bin",
    what: "pairs line with a non-number index",
    setup: (c) => Deno.writeTextFile(at(c, "p.txt"), "1\t1\nAaron_Peirsol\tone\t2\n"),
    args: (c) => ["--root", c.lfw, "--pairs", at(c, "p.txt"), "--out", at(c, "o.bin")],
    mentions: (c) => [at(c, "p.txt")],
  },
  {
    id: "make-bin-out-folder-missing",
    cli: "make_bin",
    what: "--out in a folder that does not exist",
    args: (
      c,
    ) => ["--root", c.lfw, "--pairs", "pairsDevTest.txt", "--out", at(c, "no", "dir", "o.bin")],
    mentions: (c) => [at(c, "no", "dir")],
  },
];
