/**
 * Bad-input rows of `deno task align` and of convert/merge `--align` (see bad_input_rows.ts).
 *
 * @module
 */
import { at, type BadInput, flagRows, none, randomFile } from "./bad_input_kit.ts";

const opt = (id: string, flag: string, value: string): BadInput => ({
  id: `align-${id}`,
  cli: "align",
  what: `--${flag} ${value}`,
  args: () => ["a", "b", `--${flag}`, value],
  mentions: () => [`--${flag}`, value],
});

/** The rows of align and of convert/merge --align. */
export const ALIGN_ROWS: BadInput[] = [
  ...flagRows("align", ["a", "b"]),
  {
    id: "align-no-args",
    cli: "align",
    what: "no arguments",
    args: none,
    mentions: () => ["<raw_tree> <out_tree>"],
  },
  {
    id: "align-one-arg",
    cli: "align",
    what: "only the raw tree",
    args: () => ["a"],
    mentions: () => ["<raw_tree> <out_tree>"],
  },
  opt("size-0", "size", "0"),
  opt("size-frac", "size", "1.5"),
  opt("min-score", "min-score", "2"),
  opt("workers", "workers", "abc"),
  opt("template", "template", "arcface_112"),
  opt("policy", "policy", "first"),
  opt("detector", "detector", "yolo"),
  opt("format", "format", "webp"),
  {
    id: "align-missing-tree",
    cli: "align",
    what: "raw tree does not exist",
    args: (c) => [at(c, "nope"), at(c, "out")],
    mentions: (c) => [at(c, "nope")],
  },
  {
    id: "align-tree-is-file",
    cli: "align",
    what: "raw tree is a file (random bytes)",
    setup: (c) => randomFile(at(c, "r.bin")),
    args: (c) => [at(c, "r.bin"), at(c, "out")],
    mentions: (c) => [at(c, "r.bin"), "not a folder"],
  },
  {
    id: "align-empty-tree",
    cli: "align",
    what: "raw tree is an empty folder",
    setup: (c) => Deno.mkdir(at(c, "empty")),
    args: (c) => [at(c, "empty"), at(c, "out")],
    mentions: (c) => [at(c, "empty"), "identity folders"],
  },
  {
    id: "align-out-inside",
    cli: "align",
    what: "output folder inside the raw tree",
    setup: (c) => Deno.mkdir(at(c, "raw", "p"), { recursive: true }),
    args: (c) => [at(c, "raw"), at(c, "raw", "aligned")],
    mentions: (c) => [at(c, "raw", "aligned"), "inside"],
  },
  {
    id: "align-no-face",
    cli: "align",
    what: "a tree whose only photo is random bytes (nothing aligns)",
    heavy: true,
    setup: async (c) => {
      await Deno.mkdir(at(c, "raw", "p"), { recursive: true });
      await randomFile(at(c, "raw", "p", "x.jpg"));
    },
    args: (c) => [at(c, "raw"), at(c, "out"), "--workers", "1"],
    mentions: (c) => [at(c, "raw"), "no face aligned"],
  },
  {
    id: "convert-align-kface",
    cli: "convert",
    what: "--align with a kface: source",
    args: (c) => ["kface:/k?S=1", at(c, "o.tfrecord"), "--align"],
    mentions: () => ["--align", "kface:"],
  },
  {
    id: "convert-align-aligned",
    cli: "convert",
    what: "--align with an aligned: source (aligned already)",
    args: (c) => [`aligned:${at(c, "in")}`, at(c, "o.tfrecord"), "--align"],
    mentions: () => ["--align", "aligned:"],
  },
  {
    id: "convert-align-format-jpg",
    cli: "convert",
    what: "--align --format jpg (convert writes PNG crops)",
    args: (c) => [at(c, "in"), at(c, "o.tfrecord"), "--align", "--format", "jpg"],
    mentions: () => ["--format jpg", "deno task align"],
  },
  {
    id: "convert-aligned-bad-min-score",
    cli: "convert",
    what: "aligned: source with min_score=2",
    setup: (c) => Deno.mkdir(at(c, "in", "p"), { recursive: true }),
    args: (c) => [`aligned:${at(c, "in")}?min_score=2`, at(c, "o.tfrecord")],
    mentions: () => ["min_score=2", "0..1"],
  },
  {
    id: "merge-aligned-bad-policy",
    cli: "merge",
    what: "aligned: source with policy=first",
    setup: (c) => Deno.mkdir(at(c, "in", "p"), { recursive: true }),
    args: (c) => [at(c, "o.tfrecord"), `aligned:${at(c, "in")}?policy=first`, at(c, "in")],
    mentions: () => ["policy=first", "largest or central"],
  },
  {
    id: "convert-align-option-alone",
    cli: "convert",
    what: "--template without --align",
    args: (c) => [at(c, "in"), at(c, "o.tfrecord"), "--template", "arcface_96"],
    mentions: () => ["--template", "--align"],
  },
  {
    id: "merge-align-size",
    cli: "merge",
    what: "--align --size 0",
    args: (c) => [at(c, "o.tfrecord"), "a", "b", "--align", "--size", "0"],
    mentions: () => ["--size"],
  },
];
