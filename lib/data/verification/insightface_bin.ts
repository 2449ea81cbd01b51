/**
 * insightface verification `.bin` files (lfw.bin, agedb_30.bin, cfp_fp.bin, user-built ones such
 * as kface.bin): a Python pickle of `(bins, issame_list)`, bins = 2N encoded JPEG/PNG images,
 * issame_list = N labels; pair i is images 2i and 2i + 1. Python 2 originals (str images),
 * Python 3 files (bytes, any protocol 2-5) and numpy bool label arrays are all read.
 *
 * @module
 */
import { basename, extname } from "node:path";
import { BinFormatError, PickleError } from "./errors.ts";
import { numericValues, NumpyArray, type PyValue } from "./pickle_objects.ts";
import { readPickle } from "./pickle_reader.ts";
import {
  checkImages,
  contiguousFolds,
  type EncodedImage,
  NUM_FOLDS,
  type VerificationSet,
} from "./verification_set.ts";

/** Options of {@linkcode parseInsightfaceBin} / {@linkcode readInsightfaceBin}. */
export interface InsightfaceBinOptions {
  /** Set name (default: the file name without `.bin`, e.g. "lfw"). */
  name?: string;
  /** Decode every image with sharp, not just check its JPEG/PNG magic (default false). */
  verifyDecode?: boolean;
}

/**
 * Reads an insightface `.bin` into a {@linkcode VerificationSet}: images keyed by their index
 * in `bins` ("0", "1", ...; not deduplicated, as the file stores them), pairs (2i, 2i + 1),
 * 10 contiguous folds. Image bytes are views into the file buffer.
 *
 * @param path the `.bin` file
 */
export async function readInsightfaceBin(
  path: string,
  options: InsightfaceBinOptions = {},
): Promise<VerificationSet> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new BinFormatError(
      e instanceof Deno.errors.NotFound
        ? "no such file; check the path (eval --sets takes lfw, lfw-view1, a .bin path or " +
          "folder:pairs.txt)"
        : `cannot read the file: ${(e as Error).message}`,
      path,
    );
  }
  const name = options.name ?? basename(path, extname(path));
  return await parseInsightfaceBin(bytes, path, { ...options, name });
}

/**
 * Parses `.bin` content already in memory. Throws {@linkcode BinFormatError} when the content is
 * not `(bins, issame_list)` with 2N images and N labels, a PickleError when the pickle itself is
 * bad, an ImageDecodeError for an image that is not JPEG/PNG (or does not decode).
 *
 * @param bytes the file content
 * @param source file name for messages
 */
export async function parseInsightfaceBin(
  bytes: Uint8Array,
  source: string,
  options: InsightfaceBinOptions = {},
): Promise<VerificationSet> {
  let root: PyValue;
  try {
    root = readPickle(bytes);
  } catch (e) {
    if (!(e instanceof PickleError)) throw e;
    // Protocol 2+ pickles (every insightface .bin) start with PROTO (0x80).
    if (bytes[0] !== 0x80) {
      throw new BinFormatError(
        `not a pickle (${bytes.length} bytes, first byte 0x${
          (bytes[0] ?? 0).toString(16).padStart(2, "0")
        }, not the pickle PROTO opcode 0x80); this is not an insightface verification .bin`,
        source,
      );
    }
    // Keep the class and offset; name the file (e.g. a truncated download).
    e.message = `${source}: ${e.message}`;
    throw e;
  }
  if (!Array.isArray(root) || root.length !== 2) {
    throw new BinFormatError(
      "the pickle is not a (bins, issame_list) pair; this is not an insightface verification .bin",
      source,
    );
  }
  const [bins, labels] = root;
  if (!Array.isArray(bins)) {
    throw new BinFormatError("bins (the first element) is not a list of images", source);
  }
  const issame = toLabels(labels, source);
  if (bins.length % 2 !== 0) {
    throw new BinFormatError(
      `odd number of images (${bins.length}); a .bin holds 2 images per pair ` +
        "(pair i = images 2i and 2i+1): the file is truncated or was built wrongly",
      source,
    );
  }
  const P = bins.length / 2;
  if (P !== issame.length) {
    throw new BinFormatError(
      `${bins.length} images make ${P} pairs but issame_list has ${issame.length} labels; ` +
        "rebuild the file with one label per image pair",
      source,
    );
  }
  if (P < NUM_FOLDS) {
    throw new BinFormatError(`${P} pairs: need at least ${NUM_FOLDS} for 10 folds`, source);
  }
  const images: EncodedImage[] = bins.map((b, i) => {
    if (!(b instanceof Uint8Array)) {
      throw new BinFormatError(
        `bins[${i}] is ${typeName(b)}, not bytes; images must be encoded JPEG/PNG bytes`,
        source,
      );
    }
    return { key: String(i), bytes: b };
  });
  await checkImages(images, source, { verifyDecode: options.verifyDecode });
  const pairs = new Int32Array(2 * P);
  for (let i = 0; i < 2 * P; i++) pairs[i] = i;
  return {
    name: options.name ?? basename(source, extname(source)),
    images,
    pairs,
    issame,
    folds: contiguousFolds(P),
  };
}

function toLabels(v: PyValue, source: string): boolean[] {
  let items: PyValue[];
  if (v instanceof NumpyArray) {
    if (v.dtype === null || v.data === null) {
      throw new BinFormatError("issame_list is a numpy array without data", source);
    }
    items = numericValues(v.dtype, v.data, -1);
  } else if (Array.isArray(v)) {
    items = v;
  } else {
    throw new BinFormatError(
      `issame_list (the second element) is ${typeName(v)}, not a list of bool`,
      source,
    );
  }
  return items.map((x, i) => {
    if (typeof x === "boolean") return x;
    if (x === 0 || x === 1) return x === 1;
    throw new BinFormatError(
      `issame_list[${i}] is ${typeName(x)} (${String(x)}), not a bool or 0/1`,
      source,
    );
  });
}

function typeName(v: PyValue): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Uint8Array) return "bytes";
  return typeof v === "object" ? v.constructor.name : typeof v;
}
