/**
 * Turns a scanned source into labels and a flat image list: identities kept in their (byte)
 * order get dense labels from `labelOffset`; empty identities and identities under
 * `minImages` are an error or skipped with a reason.
 *
 * @module
 */
import { ConvertError, type SkippedFile } from "./errors.ts";
import type { ImageSource } from "./image_source.ts";
import type { LabelEntry } from "./labels_tsv.ts";

/** One image to write. */
export interface PlannedImage {
  /** Path to read. */
  path: string;
  /** `image/filename` (`<identity>/<file>`). */
  name: string;
  /** Dense label. */
  label: number;
}

/** Options of {@linkcode planSource}. */
export interface PlanOptions {
  /** Skip identities with fewer images (default 1: skip nothing but empty ones). */
  minImages?: number;
  /** Skip empty identity folders (with a reason) instead of failing (default false). */
  skipBad?: boolean;
  /** First label (default 0; merge uses it to keep sources apart). */
  labelOffset?: number;
  /** `source` column value for every label (merge only). */
  source?: string;
}

/** Labels, images and skipped identities of one source. */
export interface SourcePlan {
  /** One entry per kept identity; `count` is the planned number of images. */
  labels: LabelEntry[];
  /** Every image of the kept identities, in identity then file order. */
  items: PlannedImage[];
  /** Identities left out, with why. */
  skipped: SkippedFile[];
}

/** Assigns dense labels to `source`'s identities (see the module doc). */
export function planSource(source: ImageSource, options: PlanOptions = {}): SourcePlan {
  const minImages = options.minImages ?? 1;
  if (!Number.isInteger(minImages) || minImages < 1) {
    throw new ConvertError(`minImages must be an integer >= 1, got ${minImages}`);
  }
  const offset = options.labelOffset ?? 0;
  const labels: LabelEntry[] = [];
  const items: PlannedImage[] = [];
  const skipped: SkippedFile[] = [];
  for (const id of source.identities) {
    const n = id.files.length;
    if (n === 0) {
      const reason = "empty identity folder (no .jpg/.jpeg/.png/.pgm files)";
      if (!options.skipBad && options.minImages === undefined) {
        throw new ConvertError(
          `${id.dir}: ${reason}. Remove the folder, or pass --skip-bad or --min-images N ` +
            `(options skipBad, minImages) to skip such identities.`,
          id.dir,
        );
      }
      skipped.push({ file: id.dir, reason });
      continue;
    }
    if (n < minImages) {
      skipped.push({
        file: id.dir,
        reason: `only ${n} images (fewer than --min-images ${minImages})`,
      });
      continue;
    }
    const label = offset + labels.length;
    const entry: LabelEntry = { label, identity: id.identity, count: n };
    if (options.source !== undefined) entry.source = options.source;
    labels.push(entry);
    for (const f of id.files) items.push({ path: f.path, name: f.name, label });
  }
  if (labels.length === 0) {
    throw new ConvertError(
      `${source.source}: no identity is left to convert (${skipped.length} skipped: ` +
        `${skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join("; ")}). ` +
        `Check the input folder and --min-images.`,
    );
  }
  return { labels, items, skipped };
}
