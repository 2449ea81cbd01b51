/**
 * What convert and merge print when done: the summary as JSON (skipped files counted), the
 * first skipped files, and the stale temps of killed earlier runs that were removed.
 *
 * @module
 */
import type { ConversionSummary } from "../lib/data/convert/mod.ts";

/** Prints `summary` on stdout (the removed stale temps on stderr, prefixed with `cmd`). */
export function printConversionSummary(cmd: string, summary: ConversionSummary): void {
  const { skipped, removedTemps, ...rest } = summary;
  for (const t of removedTemps) {
    console.error(`${cmd}: removed ${t} (temp file of a killed earlier run)`);
  }
  console.log(
    JSON.stringify(
      { ...rest, skipped: skipped.length, removedTemps: removedTemps.length },
      null,
      2,
    ),
  );
  if (skipped.length) {
    console.log(
      `skipped ${skipped.length} (first ${
        Math.min(10, skipped.length)
      }; all in ${summary.summaryFile}):`,
    );
    for (const s of skipped.slice(0, 10)) console.log(`  ${s.file}: ${s.reason}`);
  }
}
