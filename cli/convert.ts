/**
 * `deno task convert`: an identity-per-folder image tree (or a K-Face selection) to an
 * arcface-tf2 TFRecord, with `<stem>.labels.tsv` and `<output>.summary.json` beside it.
 *
 * Usage: deno task convert <input_dir | kface:<root>?S=..&L=..&E=..&C=..> <output.tfrecord>
 *        [--schema binary|path] [--shards N] [--seed S] [--no-shuffle] [--min-images N]
 *        [--skip-bad] [--no-verify-decode] [--concurrency N]
 *
 * See docs/data.md.
 *
 * @module
 */
import { convertImages, formatProgressBar } from "../lib/data/convert/mod.ts";
import type { ArcfaceSchema } from "../lib/data/tfrecord/mod.ts";
import { intOption, parseCliOrHelp, runCli, UsageError } from "./cli_main.ts";
import { printConversionSummary } from "./conversion_output.ts";
import { createStatusLine } from "./status_line.ts";
import { ALIGN_CLI_OPTIONS, ALIGN_USAGE_LINES, alignedSpecsIfAsked } from "./align_output.ts";

const USAGE =
  `Usage: deno task convert <input_dir | kface:<root>?S=..&L=..&E=..&C=..> <output.tfrecord>
         [--schema binary|path] [--shards N] [--seed S] [--no-shuffle] [--min-images N]
         [--skip-bad] [--no-verify-decode] [--concurrency N] [--align [align options]]

  input_dir        one folder per identity (any names; sorted in byte order -> labels 0..N-1)
  --schema         binary (default: image bytes in the records) or path (image paths)
  --shards N       write N files <name>-0000k-of-0000N.tfrecord (default 1)
  --seed S         shuffle seed (default 0); --no-shuffle keeps identity/file order
  --min-images N   skip identities with fewer than N images (and empty ones)
  --skip-bad       skip unreadable/non-image files and empty identities; list them in the summary
  --no-verify-decode  only check JPEG/PNG magic bytes instead of fully decoding every image
                   (the default decode catches truncated/corrupt images before training;
                   --verify-decode is accepted and is the default)
  --align          align the photos of image-folder sources first: each folder is read as
                   aligned:<folder>?template=..&policy=..&min_score=.. (detect, one face per
                   photo, warp to the template; PNG crops in <stem>.faces/<k>/, kept: a rerun
                   reuses them; counts in the summary's alignment). With --align:
                   (kface: selections align themselves; --align is for image folders)
${ALIGN_USAGE_LINES}
Writes <output>, <stem>.labels.tsv and <output>.summary.json. See docs/data.md.`;

const status = createStatusLine();
await runCli("convert", USAGE, async (args) => {
  const { values, positionals } = parseCliOrHelp(args, {
    schema: { type: "string", default: "binary" },
    shards: { type: "string" },
    seed: { type: "string" },
    "no-shuffle": { type: "boolean", default: false },
    "min-images": { type: "string" },
    "skip-bad": { type: "boolean", default: false },
    "verify-decode": { type: "boolean", default: false },
    "no-verify-decode": { type: "boolean", default: false },
    align: { type: "boolean", default: false },
    ...ALIGN_CLI_OPTIONS,
    concurrency: { type: "string" },
  }, { minPositionals: 2, maxPositionals: 2, positionalsHint: "<input_dir> <output.tfrecord>" });
  if (values["verify-decode"] && values["no-verify-decode"]) {
    throw new UsageError(
      "--verify-decode (the default) and --no-verify-decode contradict each other: give one",
    );
  }
  if (values.schema !== "binary" && values.schema !== "path") {
    throw new UsageError(`--schema must be binary or path, got '${values.schema}'`);
  }
  const [raw, output] = positionals;
  const [input] = alignedSpecsIfAsked("convert", values, [raw]);
  const summary = await convertImages(input, output, {
    schema: values.schema as ArcfaceSchema,
    shards: intOption("shards", values.shards, { min: 1 }),
    seed: intOption("seed", values.seed, { min: 0 }),
    noShuffle: values["no-shuffle"] as boolean,
    minImages: intOption("min-images", values["min-images"], { min: 1 }),
    skipBad: values["skip-bad"] as boolean,
    verifyDecode: !values["no-verify-decode"],
    concurrency: intOption("concurrency", values.concurrency, { min: 1 }),
    onProgress: (p) => status.update(formatProgressBar(p), p.done === p.total),
    onAlignProgress: (done, total) => status.update(`align ${done}/${total}`, done === total),
  });
  status.done();
  printConversionSummary("convert", summary);
}, { beforeExit: () => status.done() });
