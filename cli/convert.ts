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
import { parseArgs } from "node:util";
import {
  type ConversionSummary,
  convertImages,
  type ConvertProgress,
  formatProgressBar,
} from "../lib/data/convert/mod.ts";
import type { ArcfaceSchema } from "../lib/data/tfrecord/mod.ts";

const USAGE =
  `Usage: deno task convert <input_dir | kface:<root>?S=..&L=..&E=..&C=..> <output.tfrecord>
         [--schema binary|path] [--shards N] [--seed S] [--no-shuffle] [--min-images N]
         [--skip-bad] [--no-verify-decode] [--concurrency N]

  input_dir        one folder per identity (any names; sorted in byte order -> labels 0..N-1)
  --schema         binary (default: image bytes in the records) or path (image paths)
  --shards N       write N files <name>-0000k-of-0000N.tfrecord (default 1)
  --seed S         shuffle seed (default 0); --no-shuffle keeps identity/file order
  --min-images N   skip identities with fewer than N images (and empty ones)
  --skip-bad       skip unreadable/non-image files and empty identities; list them in the summary
  --no-verify-decode  only check JPEG/PNG magic bytes instead of fully decoding every image
                   (the default decode catches truncated/corrupt images before training;
                   --verify-decode is accepted and is the default)
Writes <output>, <stem>.labels.tsv and <output>.summary.json. See docs/data.md.`;

function usage(message: string): never {
  console.error(`convert: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

/** Parses a non-negative integer option or exits with usage. */
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
      "no-shuffle": { type: "boolean", default: false },
      "min-images": { type: "string" },
      "skip-bad": { type: "boolean", default: false },
      "verify-decode": { type: "boolean", default: false },
      "no-verify-decode": { type: "boolean", default: false },
      concurrency: { type: "string" },
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
if (positionals.length !== 2) {
  usage(`expected <input_dir> and <output.tfrecord>, got ${positionals.length} arguments`);
}
if (values.schema !== "binary" && values.schema !== "path") {
  usage(`--schema must be binary or path, got '${values.schema}'`);
}
const [input, output] = positionals;

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
  summary = await convertImages(input, output, {
    schema: values.schema as ArcfaceSchema,
    shards: intOption("shards", values.shards, 1),
    seed: intOption("seed", values.seed, 0),
    noShuffle: values["no-shuffle"],
    minImages: intOption("min-images", values["min-images"], 1),
    skipBad: values["skip-bad"],
    verifyDecode: !values["no-verify-decode"],
    concurrency: intOption("concurrency", values.concurrency, 1),
    onProgress: progressPrinter(),
  });
} catch (e) {
  if (Deno.stderr.isTerminal()) console.error("");
  if (e instanceof Error && e.name !== "Error") {
    console.error(`convert: ${e.name}: ${e.message}`);
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
