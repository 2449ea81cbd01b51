/**
 * `convert --align` / `merge --align`: image-folder sources are first aligned with
 * {@linkcode alignTree} into `<output stem>.aligned/` beside the output (kept, so a rerun
 * skips the photos already aligned), and the conversion then reads that tree instead.
 * `kface:` selections align themselves in the K-Face reader, `lfw-people:` lists name crops
 * that are aligned already, and TFRecords hold finished records: those pass through unchanged.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { PEOPLE_PREFIX } from "../data/convert/people_list.ts";
import { isTFRecordSpec } from "../data/convert/source_spec.ts";
import { alignTree, type AlignTreeOptions, type AlignTreeSummary } from "./align_tree.ts";

/** `<dir>/<stem>.aligned` for an output `<dir>/<stem>.tfrecord`. */
export function alignedTreePath(output: string): string {
  const stem = basename(output).replace(/\.tfrecords?$/i, "");
  return join(dirname(output), `${stem}.aligned`);
}

/** True for a source `--align` aligns (a plain image folder). */
export function isAlignableSource(spec: string): boolean {
  return !spec.startsWith("kface:") && !spec.startsWith(PEOPLE_PREFIX) && !isTFRecordSpec(spec);
}

/** What {@linkcode alignSources} did. */
export interface AlignedSources {
  /** The sources to convert: aligned trees in place of the image folders. */
  sources: string[];
  /** One summary per aligned folder, in source order. */
  summaries: AlignTreeSummary[];
}

/**
 * Aligns every image-folder source of a conversion writing `output`: one source into
 * `<stem>.aligned/`, several into `<stem>.aligned/<k>-<folder name>/` (k = source position).
 */
export async function alignSources(
  sources: string[],
  output: string,
  options: AlignTreeOptions = {},
): Promise<AlignedSources> {
  const root = alignedTreePath(output);
  const several = sources.filter(isAlignableSource).length > 1;
  const out: string[] = [];
  const summaries: AlignTreeSummary[] = [];
  for (let k = 0; k < sources.length; k++) {
    const s = sources[k];
    if (!isAlignableSource(s)) {
      out.push(s);
      continue;
    }
    const dest = several ? join(root, `${k}-${basename(s.replace(/[\\/]+$/, ""))}`) : root;
    summaries.push(await alignTree(s, dest, options));
    out.push(dest);
  }
  return { sources: out, summaries };
}
