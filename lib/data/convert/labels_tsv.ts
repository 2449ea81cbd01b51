/**
 * The label map written beside every converted TFRecord: `<output stem>.labels.tsv`, a header
 * line then one line per label, `label<TAB>identity<TAB>count` (+ `<TAB>source` for merged
 * sets). Labels are dense, 0..N-1, in file order. Tabs, newlines and backslashes inside names
 * are escaped as `\t`, `\n`, `\r`, `\\`.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { ConvertError } from "./errors.ts";

/** One label of a converted set. */
export interface LabelEntry {
  /** Dense class id. */
  label: number;
  /** Identity name (folder name). */
  identity: string;
  /** Images written with this label. */
  count: number;
  /** Where the label came from (merged sets only). */
  source?: string;
}

const escape = (s: string) =>
  s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
const unescape = (s: string) =>
  s.replace(/\\(.)/g, (_, c) => (c === "t" ? "\t" : c === "n" ? "\n" : c === "r" ? "\r" : c));

/** `data/x.tfrecord` -> `data/x.labels.tsv` (the label map beside an output). */
export function labelsPathFor(output: string): string {
  return join(dirname(output), `${basename(output).replace(/\.tfrecords?$/i, "")}.labels.tsv`);
}

/** `data/x.tfrecord` -> `data/x.tfrecord.summary.json`. */
export function summaryPathFor(output: string): string {
  return `${output}.summary.json`;
}

/** Serializes labels (with a `source` column when any entry has one). */
export function formatLabelsTsv(labels: readonly LabelEntry[]): string {
  const withSource = labels.some((l) => l.source !== undefined);
  const lines = [withSource ? "label\tidentity\tcount\tsource" : "label\tidentity\tcount"];
  for (const l of labels) {
    const cols = [String(l.label), escape(l.identity), String(l.count)];
    if (withSource) cols.push(escape(l.source ?? ""));
    lines.push(cols.join("\t"));
  }
  return lines.join("\n") + "\n";
}

/** Parses labels.tsv text; `file` is for messages. Labels must be 0..N-1 in order. */
export function parseLabelsTsv(text: string, file: string): LabelEntry[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = (lines.shift() ?? "").split("\t");
  if (header[0] !== "label" || header[1] !== "identity" || header[2] !== "count") {
    throw new ConvertError(
      `${file}:1: expected the header 'label<TAB>identity<TAB>count[<TAB>source]', got ` +
        `'${header.join("\\t")}'. Is this a labels.tsv written by deno task convert?`,
      file,
    );
  }
  const hasSource = header[3] === "source";
  return lines.map((line, i) => {
    const cols = line.split("\t");
    const label = Number(cols[0]), count = Number(cols[2]);
    if (cols.length < 3 || label !== i || !Number.isInteger(count) || count < 0) {
      throw new ConvertError(
        `${file}:${i + 2}: bad line '${line}' (expected label ${i}, an identity and a count)`,
        file,
      );
    }
    const entry: LabelEntry = { label, identity: unescape(cols[1]), count };
    if (hasSource && cols[3] !== undefined && cols[3] !== "") entry.source = unescape(cols[3]);
    return entry;
  });
}

/** Reads and parses a labels.tsv file. */
export async function readLabelsTsv(file: string): Promise<LabelEntry[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new ConvertError(`cannot read label map ${file}: ${(e as Error).message}`, file);
  }
  return parseLabelsTsv(text, file);
}
