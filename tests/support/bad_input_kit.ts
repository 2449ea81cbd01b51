/**
 * The bad-input table's row type and the helpers rows use to make their files on the fly
 * (random bytes, truncated copies of LFW images, tiny TFRecords, configs with one thing wrong).
 *
 * @module
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { openTFRecordWriter } from "../../lib/data/tfrecord/mod.ts";
import { makeTinyDataset, tinyConfig } from "./train_fixture.ts";

/** What a row's setup and arguments may use. */
export interface BadInputContext {
  /** This row's own empty temp folder. */
  dir: string;
  /** The LFW 112x112 folder (images/, pairs.txt). */
  lfw: string;
  /** The repository whose CLIs run. */
  repo: string;
}

/** One bad input. */
export interface BadInput {
  /** Short unique id (also the row's temp folder name). */
  id: string;
  /** The CLI, as its file in cli/ without `.ts` (convert, merge, make_bin, eval, ...). */
  cli: string;
  /** What is wrong, in words (the table's first column). */
  what: string;
  /** Makes the files the row needs under `ctx.dir`. */
  setup?: (ctx: BadInputContext) => Promise<void>;
  /** The arguments (paths under `ctx.dir`). */
  args: (ctx: BadInputContext) => string[];
  /** What a clear message mentions (paths, flags, keys), all of them. */
  mentions: (ctx: BadInputContext) => string[];
  /** The run is expected to succeed (exit 0) and say the `mentions` (e.g. a swept temp). */
  succeeds?: boolean;
  /** Loads TF.js or trains: slower (the test runs them too). */
  heavy?: boolean;
  /** Fixed by another slice that is not merged yet: the test skips the row. */
  pending?: string;
}

/** Deterministic pseudo-random bytes (not a pickle, not a JPEG, not a TFRecord). */
export async function randomFile(path: string, n = 4096): Promise<void> {
  let x = 987654321;
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  b[0] = 0x13; // never a pickle PROTO (0x80), JPEG (0xff) or PNG (0x89) start
  await Deno.writeFile(path, b);
}

/** The first `keep` bytes of an LFW image (a JPEG whose magic is fine but cut short). */
export async function truncatedJpeg(
  ctx: BadInputContext,
  path: string,
  keep = 1500,
): Promise<void> {
  const src = join(ctx.lfw, "images", "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg");
  await Deno.writeFile(path, (await Deno.readFile(src)).subarray(0, keep));
}

/** An identity-per-folder tree of `ids` LFW people with 2 images each; returns its root. */
export async function imageTree(ctx: BadInputContext, name = "faces", ids = 2): Promise<string> {
  const people = ["Aaron_Peirsol", "Abdullah_Gul", "Adrien_Brody", "Al_Gore"].slice(0, ids);
  for (const p of people) {
    await Deno.mkdir(join(ctx.dir, name, p), { recursive: true });
    for (const i of [1, 2]) {
      const f = `${p}_000${i}.jpg`;
      await Deno.copyFile(join(ctx.lfw, "images", p, f), join(ctx.dir, name, p, f));
    }
  }
  return join(ctx.dir, name);
}

/** A TFRecord of random records plus a labels.tsv beside it; returns the TFRecord path. */
export async function tfrecordWithLabels(
  ctx: BadInputContext,
  truncateTo?: number,
): Promise<string> {
  const path = join(ctx.dir, "src.tfrecord");
  const w = await openTFRecordWriter(path);
  for (let i = 0; i < 4; i++) await w.write(new Uint8Array(200).fill(i + 1));
  await w.close();
  if (truncateTo !== undefined) {
    await Deno.writeFile(path, (await Deno.readFile(path)).subarray(0, truncateTo));
  }
  await Deno.writeTextFile(join(ctx.dir, "src.labels.tsv"), "label\tidentity\tcount\n0\ta\t4\n");
  return path;
}

/** The tiny training set + a config with `extra` keys (or with `drop` removed). */
export async function tinyTrain(
  ctx: BadInputContext,
  extra: Record<string, unknown> = {},
  drop: string[] = [],
): Promise<void> {
  const dataset = await makeTinyDataset(ctx.dir);
  const config = tinyConfig(ctx.dir, dataset, { sub_name: "bad", max_steps: 2, ...extra });
  for (const k of drop) delete config[k];
  await Deno.writeTextFile(join(ctx.dir, "c.yaml"), stringify(config));
}

/** The keys every config needs (the data is not read: these rows fail before). */
const REQUIRED = "train_dataset: x.tfrecord\nnum_classes: 2\nnum_samples: 4\n";

/** A config YAML: the required keys, then `text`. */
export function yaml(text: string): (ctx: BadInputContext) => Promise<void> {
  return (ctx) => Deno.writeTextFile(join(ctx.dir, "c.yaml"), REQUIRED + text);
}

/** A path inside the row's folder. */
export const at = (ctx: BadInputContext, ...p: string[]): string => join(ctx.dir, ...p);
/** No arguments / no mentions. */
export const none = (): string[] => [];
/** The unknown-flag row of a CLI. */
export const flagRows = (cli: string, args: string[] = []): BadInput[] => [
  {
    id: `${cli}-unknown-flag`,
    cli,
    what: "unknown option --bogus-flag",
    args: () => [...args, "--bogus-flag"],
    mentions: () => ["--bogus-flag"],
  },
];
