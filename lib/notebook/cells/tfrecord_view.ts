/**
 * Section 1.1's counterpart of the log's TFRecord screenshot: the first records of our
 * TFRecord file as the reader decodes them (where each sits in the file, its features), and
 * the per-source counts of a (merged) TFRecord.
 *
 * @module
 */
import { basename } from "node:path";
import {
  ARCFACE_KEYS,
  decodeArcfaceExample,
  readTFRecordEntries,
} from "../../data/tfrecord/mod.ts";
import { sniffImageFormat } from "../../data/verification/mod.ts";
import { type Displayable, htmlTable } from "../display/mod.ts";
import type { SectionData } from "./dataset.ts";

/** Identities and images per source of a TFRecord (one source unless it was merged). */
export function sourceCounts(
  data: SectionData,
): Map<string, { identities: number; images: number }> {
  const bySource = new Map<string, { identities: number; images: number }>();
  for (const l of data.labels) {
    const src = l.source ?? data.summary.sources.join(" + ");
    const e = bySource.get(src) ?? { identities: 0, images: 0 };
    e.identities++;
    e.images += l.count;
    bySource.set(src, e);
  }
  return bySource;
}

/** The first `count` records (default 8) of `shards`: file, index, byte offset and features. */
export async function tfrecordRecords(
  shards: string | readonly string[],
  options: { count?: number } = {},
): Promise<Displayable> {
  const count = options.count ?? 8;
  const rows: Record<string, string | number>[] = [];
  for await (const e of readTFRecordEntries(shards)) {
    const ex = decodeArcfaceExample(e.record);
    rows.push({
      file: basename(e.file),
      record: e.index,
      "byte offset": e.offset,
      "record bytes": e.record.length,
      [ARCFACE_KEYS.label]: ex.label,
      [ARCFACE_KEYS.filename]: ex.filename ?? "",
      [ARCFACE_KEYS.encoded]: ex.encoded
        ? `${ex.encoded.length} bytes (${sniffImageFormat(ex.encoded) ?? "unknown format"})`
        : "",
    });
    if (rows.length >= count) break;
  }
  return htmlTable(rows, {
    caption: `The first ${rows.length} records of ${
      typeof shards === "string" ? basename(shards) : shards.map((s) => basename(s)).join(", ")
    } (arcface-tf2's binary schema, read back and CRC-checked)`,
  });
}
