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
import { parseArgs } from "node:util";
import {
  type ConversionSummary,
  type ConvertProgress,
  formatProgressBar,
  mergeSources,
} from "../lib/data/convert/mod.ts";
import type { ArcfaceSchema } from "../lib/data/tfrecord/mod.ts";

const USAGE = `Usage: deno task merge <output.tfrecord> <source> <source> [...]
         [--schema binary|path] [--shards N] [--seed S] [--min-images N] [--skip-bad]
         [--no-verify-decode]

  source           an image folder (one folder per identity), a K-Face selection
                   kface:<root>?S=1&L=1-10&E=1&C=4-10, or a .tfrecord written by convert/merge
                   (its <stem>.labels.tsv must sit beside it; shards: name the base .tfrecord)
  Labels of each source are shifted past the previous sources' labels; the merged
  <stem>.labels.tsv has a source column. Other options as in deno task convert
  (images are fully decoded by default; --no-verify-decode only checks magic bytes).
Writes <output>, <stem>.labels.tsv and <output>.summary.json. See docs/data.md.`;

function usage(message: string): never {
  console.error(`merge: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

function intOption(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      schema: { type: "string", default: "binary" },
      shards: { type: "string" },
      seed: { type: "string" },
      "min-images": { type: "string" },
      "skip-bad": { type: "boolean", default: false },
      "verify-decode": { type: "boolean", default: false },
      "no-verify-decode": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (e) {
  usage((e as Error).message);
}
const { values, positionals } = parsed;
if (values["verify-decode"] && values["no-verify-decode"]) {
  usage("--verify-decode (the default) and --no-verify-decode contradict each other: give one");
}
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
if (positionals.length < 3) {
  usage(`expected <output.tfrecord> and at least two sources, got ${positionals.length} arguments`);
}
if (values.schema !== "binary" && values.schema !== "path") {
  usage(`--schema must be binary or path, got '${values.schema}'`);
}
const [output, ...sources] = positionals;
if (!/\.tfrecords?$/i.test(output)) {
  usage(`the first argument is the output and must end in .tfrecord, got '${output}'`);
}

/** Renders the progress bar on stderr: in place on a terminal, a line every 5 s otherwise. */
function progressPrinter(): (p: ConvertProgress) => void {
  const tty = Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  let lastLine = 0;
  return (p) => {
    const line = formatProgressBar(p);
    if (tty) Deno.stderr.writeSync(enc.encode(`\r${line}\x1b[K`));
    else if (p.done === p.total || performance.now() - lastLine > 5000) {
      lastLine = performance.now();
      Deno.stderr.writeSync(enc.encode(line + "\n"));
    }
  };
}

let summary: ConversionSummary;
try {
  summary = await mergeSources(sources, output, {
    schema: values.schema as ArcfaceSchema,
    shards: intOption("shards", values.shards, 1),
    seed: intOption("seed", values.seed, 0),
    minImages: intOption("min-images", values["min-images"], 1),
    skipBad: values["skip-bad"],
    verifyDecode: !values["no-verify-decode"],
    onProgress: progressPrinter(),
  });
} catch (e) {
  if (Deno.stderr.isTerminal()) console.error("");
  if (e instanceof Error && e.name !== "Error") {
    console.error(`merge: ${e.name}: ${e.message}`);
    Deno.exit(1);
  }
  throw e;
}
if (Deno.stderr.isTerminal()) console.error("");
const { skipped, ...rest } = summary;
console.log(JSON.stringify({ ...rest, skipped: skipped.length }, null, 2));
if (skipped.length) {
  console.log(
    `skipped ${skipped.length} (first ${
      Math.min(10, skipped.length)
    }; all in ${summary.summaryFile}):`,
  );
  for (const s of skipped.slice(0, 10)) console.log(`  ${s.file}: ${s.reason}`);
}
