/**
 * Test helper: writes small TFRecord datasets from LFW images (never copied into the repo;
 * written under a temporary folder the caller removes).
 *
 * @module
 */
import { join } from "node:path";
import { requireLfwImagesDir } from "./shared_data.ts";
import { encodeArcfaceExample, openTFRecordWriter } from "../../lib/data/tfrecord/mod.ts";

/** One image of the test set. */
export interface TestImage {
  /** Absolute path. */
  path: string;
  /** `<identity>/<file>`. */
  filename: string;
  /** Label (index of the identity among the chosen ones). */
  label: number;
}

/**
 * The first `count` images of the shared LFW (identities sorted, files sorted), labelled
 * 0..K-1; throws a `DataRootError` when the shared data is missing.
 */
export async function lfwImages(count: number): Promise<TestImage[]> {
  const lfw = requireLfwImagesDir();
  const ids: string[] = [];
  for await (const e of Deno.readDir(lfw)) if (e.isDirectory) ids.push(e.name);
  ids.sort();
  const out: TestImage[] = [];
  for (let k = 0; k < ids.length && out.length < count; k++) {
    const files: string[] = [];
    for await (const e of Deno.readDir(join(lfw, ids[k]))) files.push(e.name);
    files.sort();
    for (const f of files) {
      if (out.length < count) {
        out.push({ path: join(lfw, ids[k], f), filename: `${ids[k]}/${f}`, label: k });
      }
    }
  }
  return out;
}

/**
 * Writes `images` round-robin into `shards` files `<dir>/train-0000i-of-0000n.tfrecord`
 * (binary schema: the JPEG bytes; path schema: the absolute path). Returns the file paths.
 */
export async function writeShards(
  dir: string,
  images: readonly TestImage[],
  options: { shards?: number; schema?: "binary" | "path" } = {},
): Promise<string[]> {
  const n = options.shards ?? 1;
  const pad = (i: number) => String(i).padStart(5, "0");
  const paths = Array.from(
    { length: n },
    (_, i) => join(dir, `train-${pad(i)}-of-${pad(n)}.tfrecord`),
  );
  const writers = await Promise.all(paths.map((p) => openTFRecordWriter(p)));
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    const rec = options.schema === "path"
      ? encodeArcfaceExample({ label: img.label, imgPath: img.path })
      : encodeArcfaceExample({
        label: img.label,
        filename: img.filename,
        encoded: await Deno.readFile(img.path),
      });
    await writers[i % n].write(rec);
  }
  for (const w of writers) await w.close();
  return paths;
}
