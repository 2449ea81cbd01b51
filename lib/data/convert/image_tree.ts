/**
 * Scans an identity-per-folder image tree (`<root>/<identity>/**\/*.jpg|jpeg|png|pgm`): every
 * top-level folder is one identity, whatever its name; images may sit in sub-folders of it.
 * Identities and files are sorted in UTF-8 byte order (see `byte_order.ts`), so labels are
 * the same on every machine. Names starting with "." (e.g. `.DS_Store`) are ignored, and so is
 * `align_summary.json` directly under the root (what `deno task align` writes beside its crops).
 *
 * @module
 */
import { extname, join, resolve } from "node:path";
import { compareByteOrder } from "./byte_order.ts";
import { ConvertError, type SkippedFile } from "./errors.ts";
import { IMAGE_EXTENSIONS } from "./image_format.ts";
import type { IdentityImages, ImageFile, ImageSource } from "./image_source.ts";

/** The summary `deno task align` writes at the root of an aligned tree (lib/face/align_tree.ts). */
const ALIGN_SUMMARY_NAME = "align_summary.json";

/** Options of {@linkcode scanImageTree}. */
export interface ScanOptions {
  /** List non-image files as skipped instead of failing on the first one (default false). */
  skipBad?: boolean;
}

interface Entry {
  name: string;
  isDir: boolean;
  isFile: boolean;
}

async function listDir(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".")) continue;
      let { isDirectory: isDir, isFile } = e;
      if (e.isSymlink) {
        try {
          const st = await Deno.stat(join(dir, e.name));
          isDir = st.isDirectory;
          isFile = st.isFile;
        } catch {
          isDir = false;
          isFile = true; // a dangling link: reported as unreadable when read
        }
      }
      out.push({ name: e.name, isDir, isFile });
    }
  } catch (e) {
    throw new ConvertError(
      `cannot list folder ${dir}: ${(e as Error).message}. Check the path and permissions.`,
      dir,
    );
  }
  return out.sort((a, b) => compareByteOrder(a.name, b.name));
}

/** True when `name` has one of the image extensions (case-insensitive). */
export function isImageName(name: string): boolean {
  return extname(name).toLowerCase() in IMAGE_EXTENSIONS;
}

async function collectImages(
  dir: string,
  prefix: string,
  files: ImageFile[],
  skipped: SkippedFile[],
  skipBad: boolean,
): Promise<void> {
  for (const e of await listDir(dir)) {
    const path = join(dir, e.name);
    const name = `${prefix}/${e.name}`;
    if (e.isDir) await collectImages(path, name, files, skipped, skipBad);
    else if (e.isFile && isImageName(e.name)) files.push({ path, name });
    else {
      const reason = e.isFile
        ? `not an image file (extension '${extname(e.name)}'; expected .jpg, .jpeg, .png or .pgm)`
        : "not a regular file";
      if (!skipBad) {
        throw new ConvertError(
          `${path}: ${reason}. Remove it, or pass --skip-bad (option skipBad) to skip such ` +
            `files and list them in the summary.`,
          path,
        );
      }
      skipped.push({ file: path, reason });
    }
  }
}

/**
 * Scans `root` into identities (one per top-level folder) and their image files. A loose file
 * directly under `root` is a bad file (error, or skipped with `skipBad`). Identity folders
 * without images are returned with `files: []`: the planner decides (error or skip).
 */
export async function scanImageTree(root: string, options: ScanOptions = {}): Promise<ImageSource> {
  const skipBad = options.skipBad ?? false;
  const abs = resolve(root);
  let st: Deno.FileInfo;
  try {
    st = await Deno.stat(abs);
  } catch {
    throw new ConvertError(`input folder ${abs} does not exist`, abs);
  }
  if (!st.isDirectory) throw new ConvertError(`input ${abs} is not a folder`, abs);
  const identities: IdentityImages[] = [];
  const skipped: SkippedFile[] = [];
  for (const e of await listDir(abs)) {
    const path = join(abs, e.name);
    if (!e.isDir && e.name === ALIGN_SUMMARY_NAME) continue;
    if (!e.isDir) {
      const reason = "a file directly in the input folder (images must sit in identity folders)";
      if (!skipBad) {
        throw new ConvertError(
          `${path}: ${reason}. Move it into an identity folder or remove it, or pass ` +
            `--skip-bad (option skipBad) to skip it.`,
          path,
        );
      }
      skipped.push({ file: path, reason });
      continue;
    }
    const files: ImageFile[] = [];
    await collectImages(path, e.name, files, skipped, skipBad);
    identities.push({ identity: e.name, files, dir: path });
  }
  if (identities.length === 0) {
    throw new ConvertError(
      `input folder ${abs} has no identity folders: expected <input>/<identity>/<image files>`,
      abs,
    );
  }
  return { source: root, identities, skipped };
}
