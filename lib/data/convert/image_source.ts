/**
 * The shape every image source yields (identity-per-folder trees, K-Face selections): a list
 * of identities, each with its image files, in a deterministic order.
 *
 * @module
 */
import type { AlignReport } from "./align_source.ts";
import type { SkippedFile } from "./errors.ts";

/** One image file of an identity. */
export interface ImageFile {
  /** Path to read the file from. */
  path: string;
  /** Name stored in `image/filename`: `<identity>/<path below the identity folder>`. */
  name: string;
}

/** One identity (class) and its images. */
export interface IdentityImages {
  /** Identity name (the folder name), written to labels.tsv. */
  identity: string;
  /** Its image files, sorted in byte order. */
  files: ImageFile[];
  /** The identity's folder (for messages). */
  dir: string;
}

/** A scanned source of images. */
export interface ImageSource {
  /** What the source was given as (a folder, a `kface:` spec), for labels.tsv and summaries. */
  source: string;
  /** Identities sorted in byte order of their names. */
  identities: IdentityImages[];
  /** Files left out while scanning (only with skipBad), with why. */
  skipped: SkippedFile[];
  /** How the files were aligned, for sources aligned before conversion (align_source.ts). */
  alignment?: AlignReport;
}
