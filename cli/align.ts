/**
 * `deno task align`: identity folders of photos of any size -> the same tree of aligned face
 * crops (one per photo), with `<out_tree>/align_summary.json`.
 *
 * Usage: deno task align <raw_tree> <out_tree> [--size N] [--template arcface|arcface_96]
 *        [--policy largest|central] [--min-score X] [--workers N] [--detector ssd|tiny]
 *        [--format png|jpg]
 *
 * See docs/data.md ("Align photos").
 *
 * @module
 */
import { alignTree, AlignTreeError } from "../lib/face/align_tree.ts";
import {
  ALIGN_CLI_OPTIONS,
  ALIGN_USAGE_LINES,
  alignOptionsFrom,
  formatAlignProgress,
  printAlignSummary,
} from "./align_output.ts";
import { parseCliOrHelp, runCli } from "./cli_main.ts";
import { createStatusLine } from "./status_line.ts";

const USAGE =
  `Usage: deno task align <raw_tree> <out_tree> [--size N] [--template arcface|arcface_96]
         [--policy largest|central] [--min-score X] [--workers N] [--detector ssd|tiny]
         [--format png|jpg]

  raw_tree         one folder per identity, photos of any size (.jpg .jpeg .png .pgm)
  out_tree         the same tree of aligned crops, one face per photo (the policy's pick);
                   photos without a face (after a padded retry) and files that do not decode
                   are listed in <out_tree>/align_summary.json and printed. A rerun skips
                   photos whose crop exists.
${ALIGN_USAGE_LINES}
Exits 1 when no photo could be aligned. See docs/data.md.`;

const status = createStatusLine();
await runCli("align", USAGE, async (args) => {
  const { values, positionals } = parseCliOrHelp(args, ALIGN_CLI_OPTIONS, {
    minPositionals: 2,
    maxPositionals: 2,
    positionalsHint: "<raw_tree> <out_tree>",
  });
  const options = alignOptionsFrom(values);
  const [raw, out] = positionals;
  const summary = await alignTree(raw, out, {
    ...options,
    onProgress: (p) => status.update(formatAlignProgress(p), p.done === p.total),
  });
  status.done();
  printAlignSummary(summary);
  if (summary.aligned + summary.skippedDone === 0) {
    throw new AlignTreeError(
      `no face aligned from the ${summary.photos} photo(s) under ${summary.input}: check that ` +
        `it holds identity folders of face photos (or try --min-score 0.3 / --detector tiny).`,
    );
  }
}, { beforeExit: () => status.done() });
