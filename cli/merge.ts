/**
 * `deno task merge`: two or more sources (image folders, `kface:` selections, TFRecords written
 * by convert/merge with their labels.tsv) into one TFRecord with label offsets, so identities
 * never collide; the merged labels.tsv has a `source` column.
 *
 * Usage: deno task merge <output.tfrecord> <source> <source> [...]
 *        [--schema binary|path] [--shards N] [--seed S] [--min-images N] [--skip-bad]
 *        [--no-verify-decode]
 *
 * See docs/data.md.
 *
 * @module
 */
import { formatProgressBar, mergeSources } from "../lib/data/convert/mod.ts";
import type { ArcfaceSchema } from "../lib/data/tfrecord/mod.ts";
import { intOption, parseCliOrHelp, runCli, UsageError } from "./cli_main.ts";
import { printConversionSummary } from "./conversion_output.ts";
import { createStatusLine } from "./status_line.ts";
import { ALIGN_CLI_OPTIONS, ALIGN_USAGE_LINES, alignedSpecsIfAsked } from "./align_output.ts";

const USAGE = `Usage: deno task merge <output.tfrecord> <source> <source> [...]
         [--schema binary|path] [--shards N] [--seed S] [--min-images N] [--skip-bad]
         [--no-verify-decode] [--align [align options]]

  source           an image folder (one folder per identity), a K-Face selection
                   kface:<root>?S=1&L=1-10&E=1&C=4-10, or a .tfrecord written by convert/merge
                   (its <stem>.labels.tsv must sit beside it; shards: name the base .tfrecord)
  Labels of each source are shifted past the previous sources' labels; the merged
  <stem>.labels.tsv has a source column. Other options as in deno task convert
  (images are fully decoded by default; --no-verify-decode only checks magic bytes).
  --align          align the photos of image-folder sources first: each folder is read as
                   aligned:<folder>?template=..&policy=..&min_score=.. (detect, one face per
                   photo, warp to the template; PNG crops in <stem>.faces/<k>/, kept: a rerun
                   reuses them; counts in the summary's alignment). With --align:
                   (only image folders are aligned; kface: selections align themselves)
${ALIGN_USAGE_LINES}
Writes <output>, <stem>.labels.tsv and <output>.summary.json. See docs/data.md.`;

const status = createStatusLine();
await runCli("merge", USAGE, async (args) => {
  const { values, positionals } = parseCliOrHelp(args, {
    schema: { type: "string", default: "binary" },
    shards: { type: "string" },
    seed: { type: "string" },
    "min-images": { type: "string" },
    "skip-bad": { type: "boolean", default: false },
    "verify-decode": { type: "boolean", default: false },
    "no-verify-decode": { type: "boolean", default: false },
    align: { type: "boolean", default: false },
    ...ALIGN_CLI_OPTIONS,
  }, {
    minPositionals: 3,
    maxPositionals: Infinity,
    positionalsHint: "<output.tfrecord> and at least two sources",
  });
  if (values["verify-decode"] && values["no-verify-decode"]) {
    throw new UsageError(
      "--verify-decode (the default) and --no-verify-decode contradict each other: give one",
    );
  }
  if (values.schema !== "binary" && values.schema !== "path") {
    throw new UsageError(`--schema must be binary or path, got '${values.schema}'`);
  }
  const [output, ...given] = positionals;
  if (!/\.tfrecords?$/i.test(output)) {
    throw new UsageError(
      `the first argument is the output and must end in .tfrecord, got '${output}'`,
    );
  }
  const sources = alignedSpecsIfAsked("merge", values, given);
  const summary = await mergeSources(sources, output, {
    schema: values.schema as ArcfaceSchema,
    shards: intOption("shards", values.shards, { min: 1 }),
    seed: intOption("seed", values.seed, { min: 0 }),
    minImages: intOption("min-images", values["min-images"], { min: 1 }),
    skipBad: values["skip-bad"] as boolean,
    verifyDecode: !values["no-verify-decode"],
    onProgress: (p) => status.update(formatProgressBar(p), p.done === p.total),
    onAlignProgress: (done, total) => status.update(`align ${done}/${total}`, done === total),
  });
  status.done();
  printConversionSummary("merge", summary);
}, { beforeExit: () => status.done() });
