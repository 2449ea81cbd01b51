/**
 * Turns a set name from the command line or a config into a loaded verification set.
 *
 * @module
 */
import { join } from "node:path";
import type { AlignTemplateName } from "../data/align/mod.ts";
import { defaultDataRoot } from "../data/data_root.ts";
import {
  loadPairsSet,
  readInsightfaceBin,
  type VerificationSet,
} from "../data/verification/mod.ts";

/** Raised for a set name that names nothing loadable. */
export class EvalSetError extends Error {
  override name = "EvalSetError";
}

/**
 * Named sets on the data root (`../shared/data` or `ARCFACE_DATA_ROOT`), with the alignment
 * geometry of their crops (the shared LFW crops sit where the "arcface_96" template puts faces;
 * see lib/data/align/arcface_template.ts). A threshold measured on a set is valid for photos
 * aligned the same way, so evaluations record it (eval.json `sets[].alignment`).
 */
export const NAMED_SETS: Record<
  string,
  { dir: string; pairsFile: string; template: AlignTemplateName }
> = {
  lfw: { dir: "lfw_112x112", pairsFile: "pairs.txt", template: "arcface_96" },
  "lfw-view1": { dir: "lfw_112x112", pairsFile: "pairsDevTest.txt", template: "arcface_96" },
};

/** How a set's crops were aligned, as recorded in eval.json. */
export interface SetAlignment {
  /** The template whose geometry the crops have. */
  template: AlignTemplateName;
  /** Where the crops come from, e.g. "lfw_112x112". */
  source: string;
}

/** The alignment of a set's crops when it is known (the named sets), else undefined. */
export function setAlignment(spec: string): SetAlignment | undefined {
  const named = NAMED_SETS[spec];
  return named ? { template: named.template, source: named.dir } : undefined;
}

/** Options of {@linkcode resolveSet}. */
export interface ResolveSetOptions {
  /** Data root for the named sets (default: `defaultDataRoot()`). */
  dataRoot?: string;
  /** Progress while reading images. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Loads a verification set by name:
 * - `lfw` (View 2 `pairs.txt`, 6,000 pairs) or `lfw-view1` (`pairsDevTest.txt`, 1,000 pairs)
 *   from the data root;
 * - a path ending in `.bin`: an insightface set (agedb_30.bin, cfp_fp.bin, ...);
 * - `<folder>` or `<folder>:<pairs file>`: an LFW-style folder (`images/<name>/<name>_NNNN.jpg`)
 *   with its pairs file (default `pairs.txt`).
 */
export async function resolveSet(
  spec: string,
  options: ResolveSetOptions = {},
): Promise<VerificationSet> {
  const named = NAMED_SETS[spec];
  if (named) {
    const root = options.dataRoot ?? defaultDataRoot();
    if (!root) {
      throw new EvalSetError(
        `Set '${spec}' needs the data root: put the shared data at ../shared/data beside the ` +
          `checkout or set ARCFACE_DATA_ROOT to the folder holding ${named.dir}/.`,
      );
    }
    return await loadPairsSet(join(root, named.dir), {
      pairsFile: named.pairsFile,
      name: spec,
      onProgress: options.onProgress,
    });
  }
  if (spec.endsWith(".bin")) return await readInsightfaceBin(spec);
  const [dir, pairsFile] = spec.includes(":") ? spec.split(":", 2) : [spec, "pairs.txt"];
  try {
    if (!(await Deno.stat(dir)).isDirectory) throw new Error("not a directory");
  } catch {
    throw new EvalSetError(
      `Unknown set '${spec}': not one of ${Object.keys(NAMED_SETS).join(", ")}, not a .bin ` +
        `file, and not an existing folder (LFW layout, with ${pairsFile}).`,
    );
  }
  return await loadPairsSet(dir, { pairsFile, onProgress: options.onProgress });
}
