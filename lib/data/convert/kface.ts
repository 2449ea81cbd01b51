/**
 * K-Face reader. Layout (one resolution folder, e.g. `High/`, is the root):
 * `<root>/<ID>/S001..S006/L1..L30/E01..E03/C1..C20.jpg` (S: accessories, L: lighting, L1
 * brightest, E: expressions, C: camera poses). A selection picks conditions; the result has
 * the same shape as an image-tree scan (one identity per ID folder), so convert and merge take
 * it as a source.
 *
 * Source spec: `kface:<root>?S=1-2&L=1-10&E=1&C=4-10`. Each key takes a comma-separated list
 * of numbers or ranges, with or without the letter and zero padding (`S=S001,S003`, `L=L1-L10`,
 * `C=C4-C10`, `E=01`); a key left out selects all of its values.
 *
 * Every selected image is ALIGNED before conversion (align_source.ts): the bounding-box /
 * landmark `.txt` beside an image is used when present (kface_info.ts, layouts in
 * docs/data.md), else the detector. Alignment keys in the same spec: `template=arcface|arcface_96`
 * (default arcface), `box=auto|xywh|xyxy` (how unlabelled 4-number boxes read, default auto),
 * `detector=ssd|tiny` (default ssd), `same_camera=1` (frames without a file borrow the L1 frame's:
 * an assumption, default off), and the escape hatch `raw=1` (whole frames, unaligned: the
 * old behaviour, for a crop made elsewhere).
 *
 * @module
 */
import { join, resolve } from "node:path";
import { compareByteOrder } from "./byte_order.ts";
import { ConvertError } from "./errors.ts";
import type { IdentityImages, ImageFile, ImageSource } from "./image_source.ts";
import type { AlignTemplateName } from "../align/mod.ts";
import type { DetectorKind } from "../../face/face_types.ts";
import type { KFaceBoxFormat } from "./kface_info.ts";

/** How a K-Face selection is aligned (the alignment keys of the spec: see parseAlignKey). */
export interface KFaceAlignSpec {
  /** Whole frames, unaligned (`raw=1`; default false). */
  raw: boolean;
  /** Template (default "arcface"). */
  template: AlignTemplateName;
  /** How unlabelled 4-number boxes are read (default "auto"). */
  boxFormat: KFaceBoxFormat;
  /** Detector for images without a usable information file (default "ssd"). */
  detector: DetectorKind;
  /**
   * `same_camera=1` (default off): a frame without an information file borrows the file of the
   * L1 frame of the same ID/S/E/C (an ASSUMPTION, not checked on real data: the 20 poses are
   * fixed cameras and the subject held still through the lighting sweep).
   */
  sameCamera: boolean;
  /** `policy=largest|central`: which detected face of an image with several (default largest). */
  policy: "largest" | "central";
  /** `min_score=X` (0..1): the detector's score floor (default 0.5). */
  minScore: number;
  /** `size=N` (16..1024): side of the crops (default 112). */
  size: number;
  /** `workers=N` (1..64): detector Workers (default: one per core, at most 8; not a property
   * of the crops, so not in faces.json). */
  workers?: number;
}

const NUMBER_KEYS: Record<
  string,
  { key: keyof KFaceAlignSpec; min: number; max: number; int: boolean }
> = {
  MIN_SCORE: { key: "minScore", min: 0, max: 1, int: false },
  SIZE: { key: "size", min: 16, max: 1024, int: true },
  WORKERS: { key: "workers", min: 1, max: 64, int: true },
};

const ALIGN_KEYS: Record<string, { key: keyof KFaceAlignSpec; values: string[] }> = {
  RAW: { key: "raw", values: ["0", "1"] },
  TEMPLATE: { key: "template", values: ["arcface", "arcface_96"] },
  BOX: { key: "boxFormat", values: ["auto", "xywh", "xyxy"] },
  DETECTOR: { key: "detector", values: ["ssd", "tiny"] },
  SAME_CAMERA: { key: "sameCamera", values: ["0", "1"] },
  POLICY: { key: "policy", values: ["largest", "central"] },
};

/**
 * Parses an alignment key of a source spec (`raw`, `template`, `box`, `detector`,
 * `same_camera`, `policy`, `min_score`, `size`, `workers`) into `align`; false when `key` is
 * not one. Shared by `kface:` and `aligned:` sources.
 */
export function parseAlignKey(
  spec: string,
  key: string,
  value: string,
  align: KFaceAlignSpec,
): boolean {
  const n = NUMBER_KEYS[key.toUpperCase()];
  if (n) {
    const v = Number(value);
    if (
      value.trim() === "" || !Number.isFinite(v) || v < n.min || v > n.max ||
      (n.int && !Number.isInteger(v))
    ) {
      throw new ConvertError(
        `source '${spec}': ${key}=${value} is not valid (use ${
          n.int ? "an integer" : "a number"
        } ` +
          `${n.min}..${n.max})`,
      );
    }
    (align as unknown as Record<string, unknown>)[n.key] = v;
    return true;
  }
  const k = ALIGN_KEYS[key.toUpperCase()];
  if (!k) return false;
  if (!k.values.includes(value)) {
    throw new ConvertError(
      `source '${spec}': ${key}=${value} is not valid (use ${k.values.join(" or ")})`,
    );
  }
  (align as unknown as Record<string, unknown>)[k.key] = k.values[0] === "0"
    ? value === "1"
    : value;
  return true;
}

/** The default alignment of a source: aligned, arcface template, auto boxes, ssd. */
export function defaultAlignSpec(): KFaceAlignSpec {
  return {
    raw: false,
    template: "arcface",
    boxFormat: "auto",
    detector: "ssd",
    sameCamera: false,
    policy: "largest",
    minScore: 0.5,
    size: 112,
  };
}

/** Selected K-Face conditions (1-based numbers). */
export interface KFaceSelection {
  /** Accessory sets S001..S006. */
  accessories: number[];
  /** Lighting L1..L30. */
  lights: number[];
  /** Expressions E01..E03. */
  expressions: number[];
  /** Camera poses C1..C20. */
  poses: number[];
}

const AXES = {
  S: { field: "accessories", max: 6, dir: (n: number) => `S${String(n).padStart(3, "0")}` },
  L: { field: "lights", max: 30, dir: (n: number) => `L${n}` },
  E: { field: "expressions", max: 3, dir: (n: number) => `E${String(n).padStart(2, "0")}` },
  C: { field: "poses", max: 20, dir: (n: number) => `C${n}` },
} as const;
type Axis = keyof typeof AXES;

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Every condition: S1-6, L1-30, E1-3, C1-20. */
export function fullKFaceSelection(): KFaceSelection {
  return {
    accessories: range(1, 6),
    lights: range(1, 30),
    expressions: range(1, 3),
    poses: range(1, 20),
  };
}

/** Parses one key's list, e.g. `S001-S003,S005` or `4-10`, into sorted unique numbers. */
export function parseKFaceList(axis: Axis, text: string): number[] {
  const { max } = AXES[axis];
  const out = new Set<number>();
  const num = (s: string) => {
    const m = new RegExp(`^${axis}?0*(\\d+)$`, "i").exec(s.trim());
    const v = m ? Number(m[1]) : NaN;
    if (!(v >= 1 && v <= max)) {
      throw new ConvertError(
        `K-Face selection ${axis}=${text}: '${s}' is not a valid ${axis} value (1..${max}, e.g. ` +
          `${AXES[axis].dir(1)} or 1)`,
      );
    }
    return v;
  };
  for (const part of text.split(",").filter((p) => p.trim())) {
    const [a, b, extra] = part.split("-");
    if (extra !== undefined) {
      throw new ConvertError(`K-Face selection ${axis}=${text}: bad range '${part}'`);
    }
    const lo = num(a), hi = b === undefined ? lo : num(b);
    if (hi < lo) throw new ConvertError(`K-Face selection ${axis}=${text}: empty range '${part}'`);
    for (const v of range(lo, hi)) out.add(v);
  }
  if (out.size === 0) throw new ConvertError(`K-Face selection ${axis}= selects nothing`);
  return [...out].sort((x, y) => x - y);
}

/** Parses `kface:<root>?S=..&L=..&E=..&C=..&template=..` into root, selection and alignment. */
export function parseKFaceSpec(
  spec: string,
): { root: string; selection: KFaceSelection; align: KFaceAlignSpec } {
  if (!spec.startsWith("kface:")) {
    throw new ConvertError(`'${spec}' is not a K-Face source (expected kface:<root>?S=..&L=..)`);
  }
  const body = spec.slice("kface:".length);
  const q = body.indexOf("?");
  const root = q < 0 ? body : body.slice(0, q);
  if (!root) throw new ConvertError(`K-Face source '${spec}' has no root folder`);
  const selection = fullKFaceSelection();
  const align = defaultAlignSpec();
  if (q >= 0) {
    for (const pair of body.slice(q + 1).split("&").filter(Boolean)) {
      const eq = pair.indexOf("=");
      const key = (eq < 0 ? pair : pair.slice(0, eq)).toUpperCase();
      if (eq >= 0 && parseAlignKey(spec, pair.slice(0, eq), pair.slice(eq + 1), align)) continue;
      if (!(key in AXES)) {
        throw new ConvertError(
          `K-Face source '${spec}': unknown key '${key}' (use S, L, E and C, e.g. ` +
            `kface:<root>?S=1&L=1-10&E=1&C=4-10, and raw, template, box, detector)`,
        );
      }
      selection[AXES[key as Axis].field] = parseKFaceList(key as Axis, pair.slice(eq + 1));
    }
  }
  return { root, selection, align };
}

async function names(dir: string): Promise<Set<string> | undefined> {
  try {
    const s = new Set<string>();
    for await (const e of Deno.readDir(dir)) s.add(e.name);
    return s;
  } catch {
    return undefined;
  }
}

/**
 * Lists the selected images of every ID folder under `root`. Conditions missing on disk are
 * simply absent (an ID with no selected image has `files: []`). Pose files are matched as
 * `C<n>.jpg` / `.jpeg` / `.png`, case-insensitive.
 */
export async function scanKFace(
  root: string,
  selection: KFaceSelection,
  options: { source?: string } = {},
): Promise<ImageSource> {
  const abs = resolve(root);
  const top = await names(abs);
  if (!top) throw new ConvertError(`K-Face root ${abs} does not exist or is not a folder`, abs);
  const ids = [...top].filter((n) => !n.startsWith(".")).sort(compareByteOrder);
  const identities: IdentityImages[] = [];
  const poseRe = /^C(\d+)\.(jpe?g|png)$/i;
  const poseSet = new Set(selection.poses);
  for (const id of ids) {
    const dir = join(abs, id);
    if (!(await Deno.stat(dir)).isDirectory) continue;
    const files: ImageFile[] = [];
    for (const s of selection.accessories) {
      for (const l of selection.lights) {
        for (const e of selection.expressions) {
          const rel = [AXES.S.dir(s), AXES.L.dir(l), AXES.E.dir(e)];
          const found = await names(join(dir, ...rel));
          if (!found) continue;
          const poses: Array<[number, string]> = [];
          for (const f of found) {
            const m = poseRe.exec(f);
            if (m && poseSet.has(Number(m[1]))) poses.push([Number(m[1]), f]);
          }
          poses.sort((a, b) => a[0] - b[0]);
          for (const [, f] of poses) {
            files.push({ path: join(dir, ...rel, f), name: [id, ...rel, f].join("/") });
          }
        }
      }
    }
    identities.push({ identity: id, files, dir });
  }
  if (identities.length === 0) throw new ConvertError(`K-Face root ${abs} has no ID folders`, abs);
  return {
    source: options.source ?? `kface:${root}`,
    identities,
    skipped: [],
  };
}
