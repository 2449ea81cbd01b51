/**
 * LFW pairs files (View 2 `pairs.txt`, View 1 `pairsDevTest.txt` / `pairsDevTrain.txt`) and any
 * set laid out like them, read into a {@linkcode VerificationSet} with each image once.
 *
 * Format: line 1 is `folds<TAB>n` (View 2: `10 300`, n same then n different pairs per fold) or
 * `n` (View 1: n same then n different pairs). A same pair is `name<TAB>i<TAB>j`, a different
 * pair `name1<TAB>i<TAB>name2<TAB>j` (any whitespace is accepted). Image i of `name` is
 * `<root>/images/<name>/<name>_%04d.jpg` unless `imagePath` says otherwise.
 *
 * @module
 */
import { basename, isAbsolute, join } from "node:path";
import { MissingImageError, PairsFileError } from "./errors.ts";
import {
  checkImages,
  type EncodedImage,
  forEachConcurrent,
  stratifiedFolds,
  type VerificationSet,
} from "./verification_set.ts";

/** One image reference in a pairs file. */
export interface ImageRef {
  /** Person (folder) name. */
  name: string;
  /** 1-based image number as written in the file. */
  index: number;
}

/** One parsed pair line. */
export interface PairEntry {
  /** 1-based line number in the file. */
  line: number;
  a: ImageRef;
  b: ImageRef;
  issame: boolean;
}

/** A parsed pairs file. */
export interface PairsFile {
  /** Folds declared by the header: 10 for `10 300`, 1 for a one-number header. */
  declaredFolds: number;
  /** Pairs per class per declared fold (300 in `10 300`, 500 in `500`). */
  perClass: number;
  /** Pair lines in file order [P = declaredFolds * 2 * perClass]. */
  entries: PairEntry[];
}

const INT = /^\d+$/;

/**
 * Parses the text of a pairs file. Throws {@linkcode PairsFileError} (file:line) on a line that
 * does not parse or a header whose count disagrees with the number of pair lines.
 *
 * @param text file content
 * @param file file name for error messages
 */
export function parsePairsText(text: string, file: string): PairsFile {
  const lines = text.split(/\r?\n/);
  let headerLine = 0;
  while (headerLine < lines.length && lines[headerLine].trim() === "") headerLine++;
  if (headerLine === lines.length) throw new PairsFileError("the file is empty", file, 0);
  const header = lines[headerLine].trim().split(/\s+/);
  if (header.length > 2 || !header.every((h) => INT.test(h)) || Number(header[0]) === 0) {
    throw new PairsFileError(
      `header '${lines[headerLine].trim()}' is not 'folds<TAB>n' (View 2, e.g. '10\t300') ` +
        "or 'n' (View 1, e.g. '500'); fix the first line",
      file,
      headerLine + 1,
    );
  }
  const declaredFolds = header.length === 2 ? Number(header[0]) : 1;
  const perClass = Number(header[header.length - 1]);
  const entries: PairEntry[] = [];
  for (let k = headerLine + 1; k < lines.length; k++) {
    const raw = lines[k].trim();
    if (raw === "") continue;
    const f = raw.split(/\s+/);
    const line = k + 1;
    const num = (s: string): number => {
      if (!INT.test(s) || Number(s) < 1) {
        throw new PairsFileError(
          `'${s}' is not an image number (a positive integer) in '${raw}'`,
          file,
          line,
        );
      }
      return Number(s);
    };
    if (f.length === 3) {
      entries.push({
        line,
        a: { name: f[0], index: num(f[1]) },
        b: { name: f[0], index: num(f[2]) },
        issame: true,
      });
    } else if (f.length === 4) {
      entries.push({
        line,
        a: { name: f[0], index: num(f[1]) },
        b: { name: f[2], index: num(f[3]) },
        issame: false,
      });
    } else {
      throw new PairsFileError(
        `'${raw}' has ${f.length} fields; a pair line is 'name i j' (same person) or ` +
          "'name1 i name2 j' (different people)",
        file,
        line,
      );
    }
  }
  const expected = declaredFolds * 2 * perClass;
  if (entries.length !== expected) {
    throw new PairsFileError(
      `the header '${lines[headerLine].trim()}' promises ${expected} pairs ` +
        `(${declaredFolds} fold(s) x 2 x ${perClass}) but the file has ${entries.length}; ` +
        "the file is truncated or the header is wrong",
      file,
      headerLine + 1,
    );
  }
  return { declaredFolds, perClass, entries };
}

/** Options of {@linkcode loadPairsSet}. */
export interface LoadPairsOptions {
  /** Pairs file, absolute or relative to the root (default "pairs.txt"). */
  pairsFile?: string;
  /** Set name (default `<root basename>/<pairs file basename>`). */
  name?: string;
  /** Image path relative to the root (default `images/<name>/<name>_%04d.jpg`). */
  imagePath?: (ref: ImageRef) => string;
  /** Files read at once (default 32). */
  concurrency?: number;
  /** Also decode every image with sharp (default false: magic bytes only). */
  verifyDecode?: boolean;
  /** Progress while reading images: (read, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The LFW layout: `images/<name>/<name>_%04d.jpg`. */
export function lfwImagePath(ref: ImageRef): string {
  return join("images", ref.name, `${ref.name}_${String(ref.index).padStart(4, "0")}.jpg`);
}

/**
 * Reads a pairs file and its images into a {@linkcode VerificationSet}: each unique image read
 * once (concurrently), pairs as indices into them, `folds` = 10 contiguous folds. Every image is
 * checked to exist before any is read; a missing one throws {@linkcode MissingImageError} naming
 * the line and path.
 *
 * @param root the data set root (holds `images/` and, usually, the pairs file)
 */
export async function loadPairsSet(
  root: string,
  options: LoadPairsOptions = {},
): Promise<VerificationSet> {
  const pairsFile = options.pairsFile ?? "pairs.txt";
  const file = isAbsolute(pairsFile) ? pairsFile : join(root, pairsFile);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const rootMissing = !(await fileExists(root, true));
    throw new PairsFileError(
      rootMissing
        ? `cannot read the pairs file: the root folder ${root} does not exist; check --root`
        : e instanceof Deno.errors.NotFound
        ? `no such pairs file; --pairs is absolute or relative to the root ${root}`
        : `cannot read the pairs file: ${(e as Error).message}`,
      file,
      0,
    );
  }
  const parsed = parsePairsText(text, file);
  const relPath = options.imagePath ?? lfwImagePath;

  // Dedupe: key = path relative to root; index in first-seen order.
  const indexOf = new Map<string, number>();
  const keys: string[] = [];
  const firstLine: number[] = [];
  const P = parsed.entries.length;
  const pairs = new Int32Array(P * 2);
  parsed.entries.forEach((e, p) => {
    [e.a, e.b].forEach((ref, s) => {
      const key = relPath(ref);
      let i = indexOf.get(key);
      if (i === undefined) {
        i = keys.length;
        indexOf.set(key, i);
        keys.push(key);
        firstLine.push(e.line);
      }
      pairs[2 * p + s] = i;
    });
  });

  // Existence check first: nothing is read when any image is missing.
  const exists = await Promise.all(keys.map((k) => fileExists(join(root, k))));
  const missing = keys.flatMap((_, i) => (exists[i] ? [] : [i]));
  if (missing.length > 0) {
    const first = missing[0];
    const path = join(root, keys[first]);
    throw new MissingImageError(
      `${file}:${firstLine[first]}: image ${path} does not exist` +
        (missing.length > 1 ? ` (and ${missing.length - 1} more missing images)` : "") +
        "; check the root folder and the file naming (images/<name>/<name>_NNNN.jpg)",
      file,
      firstLine[first],
      path,
      missing.map((i) => join(root, keys[i])),
    );
  }

  const images: EncodedImage[] = keys.map((key) => ({
    key,
    bytes: new Uint8Array(0),
    path: join(root, key),
  }));
  let done = 0;
  await forEachConcurrent(images, options.concurrency ?? 32, async (img) => {
    img.bytes = await Deno.readFile(img.path!);
    options.onProgress?.(++done, images.length);
  });
  await checkImages(images, file, { verifyDecode: options.verifyDecode });

  return {
    name: options.name ?? `${basename(root)}/${basename(file)}`,
    images,
    pairs,
    issame: parsed.entries.map((e) => e.issame),
    folds: stratifiedFolds(parsed.entries.map((e) => e.issame)),
    declaredFolds: parsed.declaredFolds,
  };
}

async function fileExists(path: string, folder = false): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return folder ? info.isDirectory : info.isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
