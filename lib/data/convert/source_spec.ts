/**
 * Source strings accepted by convert and merge:
 *
 * - a folder: an identity-per-folder image tree;
 * - `kface:<root>?S=..&L=..&E=..&C=..`: a K-Face selection (see `kface.ts`);
 * - `lfw-people:<lfw>/peopleDevTrain.txt`: the people an LFW people list names (see
 *   `people_list.ts`);
 * - (merge only) a `.tfrecord` file written by convert/merge, with its `<stem>.labels.tsv`
 *   beside it (or `labels.tsv` in the same folder); a sharded output is named by its base
 *   name (`data/x.tfrecord` finds `data/x-00000-of-00004.tfrecord` ...).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { ConvertError } from "./errors.ts";
import type { ImageSource } from "./image_source.ts";
import { scanImageTree } from "./image_tree.ts";
import { parseKFaceSpec, scanKFace } from "./kface.ts";
import { PEOPLE_PREFIX, scanPeopleList } from "./people_list.ts";
import { labelsPathFor } from "./labels_tsv.ts";

/** Scans a folder or `kface:` source into identities and files. */
export function scanSource(
  spec: string,
  options: { skipBad?: boolean } = {},
): Promise<ImageSource> {
  if (spec.startsWith("kface:")) {
    const { root, selection } = parseKFaceSpec(spec);
    return scanKFace(root, selection, { source: spec });
  }
  if (spec.startsWith(PEOPLE_PREFIX)) return scanPeopleList(spec);
  if (/\.tfrecords?$/i.test(spec)) {
    throw new ConvertError(
      `${spec} is a TFRecord, not an image folder: convert takes a folder of identity folders ` +
        `or a kface: source; use \`deno task merge\` to combine TFRecords.`,
      spec,
    );
  }
  return scanImageTree(spec, options);
}

/** A TFRecord source: its files in order and its label map. */
export interface TFRecordSourceFiles {
  /** The TFRecord files (one, or the shards in order). */
  files: string[];
  /** Its labels.tsv. */
  labelsFile: string;
}

/** True when `spec` names a TFRecord (ends in .tfrecord / .tfrecords). */
export function isTFRecordSpec(spec: string): boolean {
  return /\.tfrecords?$/i.test(spec);
}

/** Finds the files and label map of a TFRecord source (see the module doc). */
export async function resolveTFRecordSource(spec: string): Promise<TFRecordSourceFiles> {
  let files: string[];
  if (existsSync(spec)) files = [spec];
  else {
    const dir = dirname(spec);
    const m = /^(.*?)(\.tfrecords?)$/i.exec(basename(spec))!;
    const re = new RegExp(
      `^${m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d{5})-of-(\\d{5})${m[2]}$`,
    );
    const found: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) if (re.test(e.name)) found.push(e.name);
    } catch { /* folder missing: reported below */ }
    if (found.length === 0) {
      throw new ConvertError(
        `TFRecord source ${spec} does not exist (no file, and no shards ` +
          `${m[1]}-NNNNN-of-NNNNN${m[2]} beside it)`,
        spec,
      );
    }
    files = found.sort().map((f) => join(dir, f));
  }
  const candidates = [labelsPathFor(spec), join(dirname(spec), "labels.tsv")];
  const labelsFile = candidates.find((c) => existsSync(c));
  if (!labelsFile) {
    throw new ConvertError(
      `TFRecord source ${spec} has no label map: looked for ${candidates.join(" and ")}. ` +
        `Merging needs the labels.tsv written by deno task convert next to the TFRecord.`,
      spec,
    );
  }
  return { files, labelsFile };
}
