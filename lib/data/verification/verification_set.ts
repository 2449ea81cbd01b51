/**
 * The one shape every verification source (LFW pairs files, insightface `.bin`) is read into,
 * and the fold rule the evaluator uses.
 *
 * Fold semantics (the insightface / arcface-tf2 protocol): `.bin` sets get 10 contiguous folds
 * over the pair list in file order, no shuffle, sized like sklearn
 * `KFold(n_splits=10, shuffle=False)`: with P pairs the first P % 10 folds hold ceil(P / 10)
 * pairs and the rest floor(P / 10). LFW pairs files get {@linkcode stratifiedFolds}: for View 2
 * (`pairs.txt`) that is exactly the same (the file's own 10 folds of 300 same + 300 different);
 * for View 1 (`pairsDevTest.txt`: 500 same, then 500 different) contiguous folds would each hold
 * one class only, which makes the threshold chosen on nine folds meaningless (a collapsed model
 * scored 0%, not 50%), so each fold holds 50 same + 50 different pairs instead. The `.bin`
 * writer writes pairs fold by fold, so a reader's contiguous folds are these folds. The
 * evaluator never needs to know where a set came from.
 *
 * @module
 */
import { ImageDecodeError } from "./errors.ts";

/** One encoded (JPEG/PNG) image, stored once per set however many pairs use it. */
export interface EncodedImage {
  /** Unique key in the set: the path relative to the image root, or the index in a `.bin`. */
  key: string;
  /** The encoded file bytes (for `.bin` sources a view into the file buffer, not a copy). */
  bytes: Uint8Array;
  /** Absolute path of the file the bytes came from, when they came from one. */
  path?: string;
}

/** A verification set: unique images plus pairs of indices into them, labels and folds. */
export interface VerificationSet {
  /** Short name for reports ("lfw", "agedb_30", "lfw_112x112/pairs.txt"). */
  name: string;
  /** Unique images [I]. */
  images: EncodedImage[];
  /** Pair image indices [P * 2]: pair p is (images[pairs[2p]], images[pairs[2p + 1]]). */
  pairs: Int32Array;
  /** Labels [P]: true when both images show the same person. */
  issame: boolean[];
  /** Fold id per pair [P], 0..9, contiguous in pair order (see {@linkcode contiguousFolds}). */
  folds: Int32Array;
  /**
   * Folds the source itself declares (10 for LFW View 2, 1 for View 1 files), for information;
   * undefined for `.bin` (which declares none). `folds` always follows the 10-fold rule.
   */
  declaredFolds?: number;
}

/** Number of folds of the insightface protocol. */
export const NUM_FOLDS = 10;

/**
 * Contiguous fold ids [numPairs] like sklearn `KFold(nFolds, shuffle=False)`: the first
 * `numPairs % nFolds` folds get one extra pair.
 *
 * @param numPairs P, the number of pairs (>= nFolds)
 * @param nFolds number of folds (default 10)
 */
export function contiguousFolds(numPairs: number, nFolds: number = NUM_FOLDS): Int32Array {
  if (!Number.isInteger(numPairs) || numPairs < nFolds) {
    throw new RangeError(
      `contiguousFolds: need at least ${nFolds} pairs for ${nFolds} folds, got ${numPairs}`,
    );
  }
  const folds = new Int32Array(numPairs);
  const base = Math.floor(numPairs / nFolds), extra = numPairs % nFolds;
  let i = 0;
  for (let f = 0; f < nFolds; f++) {
    const size = base + (f < extra ? 1 : 0);
    folds.fill(f, i, i + size);
    i += size;
  }
  return folds;
}

/**
 * LFW pairs-file folds: the same pairs (in file order) split into 10 contiguous groups, and the
 * different pairs likewise; fold k holds the k-th group of each. For View 2 (`pairs.txt`, 10
 * blocks of 300 same + 300 different) this is exactly the file's own folds (= contiguous
 * folds); for View 1 (`pairsDevTest.txt`: 500 same, then 500 different) each fold holds 50 + 50
 * instead of 100 pairs of one class, so a threshold chosen on nine folds is meaningful.
 */
export function stratifiedFolds(
  issame: ArrayLike<boolean>,
  nFolds: number = NUM_FOLDS,
): Int32Array {
  const folds = new Int32Array(issame.length);
  for (const cls of [true, false]) {
    const idx: number[] = [];
    for (let i = 0; i < issame.length; i++) if (issame[i] === cls) idx.push(i);
    if (idx.length === 0) continue;
    if (idx.length < nFolds) return contiguousFolds(issame.length, nFolds);
    const f = contiguousFolds(idx.length, nFolds);
    idx.forEach((k, j) => (folds[k] = f[j]));
  }
  return folds;
}

/** Container format recognised from the first bytes of an encoded image. */
export type ImageFormat = "jpeg" | "png";

/**
 * Recognises JPEG (FF D8 FF) and PNG (89 'PNG' 0D 0A 1A 0A) by their magic bytes.
 *
 * @param bytes encoded image bytes
 * @returns the format, or null when it is neither
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return "jpeg";
  }
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return "png";
  return null;
}

/** Options of {@linkcode checkImages}. */
export interface CheckImagesOptions {
  /** Also decode every image fully with sharp (slower; catches truncated files). */
  verifyDecode?: boolean;
  /** Images decoded at once when `verifyDecode` (default 8). */
  concurrency?: number;
}

/**
 * Checks that every image is a JPEG or PNG (magic bytes) and, with `verifyDecode`, that sharp
 * decodes it. Throws {@linkcode ImageDecodeError} naming the first bad image.
 *
 * @param images the images to check
 * @param source file or set name for error messages
 */
export async function checkImages(
  images: EncodedImage[],
  source: string,
  options: CheckImagesOptions = {},
): Promise<void> {
  for (const img of images) {
    if (sniffImageFormat(img.bytes) === null) {
      const head = Array.from(img.bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0"));
      throw new ImageDecodeError(
        `not a JPEG or PNG (${img.bytes.length} bytes starting ${head.join(" ") || "<empty>"}); ` +
          "the file or .bin is corrupt, or holds another format: re-encode it as JPEG/PNG",
        source,
        img.key,
      );
    }
  }
  if (!options.verifyDecode) return;
  const { default: sharp } = await import("sharp");
  await forEachConcurrent(images, options.concurrency ?? 8, async (img) => {
    try {
      await sharp(img.bytes).raw().toBuffer();
    } catch (e) {
      throw new ImageDecodeError(
        `does not decode (${(e as Error).message}); the image is truncated or corrupt`,
        source,
        img.key,
      );
    }
  });
}

/**
 * Runs `fn` on every item with at most `concurrency` calls in flight; rejects with the first
 * error after the calls in flight settle.
 *
 * @param items the items
 * @param concurrency maximum calls in flight (>= 1)
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown = undefined;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  const n = Math.max(1, Math.min(Math.floor(concurrency), items.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failed !== undefined) throw failed;
}
