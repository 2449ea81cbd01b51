/**
 * Helpers of the convert tests: temporary image trees built from the shared LFW / AT&T data
 * (symlinks or copies inside a temp dir, never inside the repository).
 *
 * @module
 */
import { join } from "node:path";
import { lfwImagesDir } from "./shared_data.ts";
import { readTFRecords } from "../../lib/data/tfrecord/tfrecord_reader.ts";
import {
  type ArcfaceExample,
  decodeArcfaceExample,
} from "../../lib/data/tfrecord/arcface_schema.ts";

/**
 * Builds `<tmp>/<identity>/<file>` with symlinks to the first `count` LFW identities (byte
 * order) that have at least `minImages` images; returns the folder and identity -> files.
 */
export async function lfwSubset(
  tmp: string,
  count: number,
  minImages = 1,
): Promise<{ dir: string; files: Map<string, string[]> }> {
  const lfw = lfwImagesDir()!;
  const names = [...Deno.readDirSync(lfw)].map((e) => e.name).sort();
  const dir = join(tmp, "tree");
  await Deno.mkdir(dir);
  const files = new Map<string, string[]>();
  for (const name of names) {
    if (files.size === count) break;
    const imgs = [...Deno.readDirSync(join(lfw, name))].map((e) => e.name).sort();
    if (imgs.length < minImages) continue;
    await Deno.mkdir(join(dir, name));
    for (const f of imgs) await Deno.symlink(join(lfw, name, f), join(dir, name, f));
    files.set(name, imgs.map((f) => join(lfw, name, f)));
  }
  return { dir, files };
}

/** Reads every record of `paths` and decodes it. */
export async function readAll(paths: string[]): Promise<ArcfaceExample[]> {
  const out: ArcfaceExample[] = [];
  for await (const r of readTFRecords(paths)) out.push(decodeArcfaceExample(r));
  return out;
}

/** Creates a temp dir, runs `fn`, removes the dir. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "arcface_convert_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
