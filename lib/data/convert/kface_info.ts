/**
 * K-Face information files: the bounding-box / landmark `.txt` that sits beside some images
 * (public loaders: the `S001/L1/E0x` folders). Their exact layout is not public, so this parser
 * is tolerant and supports the layouts documented in docs/data.md ("K-Face box and landmark
 * files"):
 *
 * - Where: `<image stem>.txt` beside the image (`C7.jpg` -> `C7.txt`; `.TXT` too).
 * - Labelled lines (any case, `:` / `=` / `,` optional): a label starting with `bb`, `box`,
 *   `bbox`, `rect` or `face` is a box; one starting with `lm`, `landmark`, `point`, `pts` or
 *   `kp` holds points (x y pairs, several lines add up). A box label containing `xyxy`, `x1` or
 *   `ltrb` says corners; `xywh` says corner + size.
 * - Unlabelled numbers: a line of 4 numbers is a box; any other even count of numbers adds
 *   points (2 per line, 10 = five points, 136 = 68 points on one line). The total point count
 *   must be 5 (ArcFace order: left eye, right eye, nose, left and right mouth corner, image
 *   left/right) or 68 (iBUG 300-W order); anything else is an unreadable file.
 * - Box format when not labelled: "x y w h" unless that box runs past the image while the
 *   "x1 y1 x2 y2" reading fits inside it (then corners). `boxFormat` forces one.
 * - Points win over a box (5 points align directly; 68 give the 5); a box alone goes through
 *   the 68-point landmark net inside it. Points or boxes outside the image (beyond a 50% margin),
 *   non-finite numbers or an empty box make the file unreadable: the caller falls back to the
 *   detector and counts it.
 *
 * @module
 */
import type { FaceBox, Point } from "../../face/face_types.ts";
import { landmarks5From68 } from "../../face/landmarks5.ts";

/** How 4 box numbers are read: `auto` (see the module doc), `xywh` or `xyxy`. */
export type KFaceBoxFormat = "auto" | "xywh" | "xyxy";

/** What an information file gave. */
export interface KFaceInfo {
  /** The face box, input pixels (when the file has one). */
  box?: FaceBox;
  /** Five ArcFace points (from 5 points in the file, or derived from 68). */
  landmarks5?: Point[];
  /** How many points the file had (0, 5 or 68). */
  points: number;
}

/** An information file that cannot be used (the caller falls back to the detector). */
export class KFaceInfoError extends Error {
  /** `message` says what is wrong with which file. */
  constructor(message: string) {
    super(message);
    this.name = "KFaceInfoError";
  }
}

const NUM = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;
const BOX_LABEL = /^(bb|bbox|box|rect|face)/i;
const POINT_LABEL = /^(lm|landmark|point|pts|kp|keypoint)/i;

function boxFrom(
  v: number[],
  format: KFaceBoxFormat,
  image: { width: number; height: number },
): FaceBox {
  const [a, b, c, d] = v;
  const xywh: FaceBox = { x: a, y: b, width: c, height: d };
  const xyxy: FaceBox = { x: a, y: b, width: c - a, height: d - b };
  if (format === "xywh") return xywh;
  if (format === "xyxy") return xyxy;
  const inside = (r: FaceBox) =>
    r.width > 0 && r.height > 0 && r.x + r.width <= image.width + 1 &&
    r.y + r.height <= image.height + 1;
  return !inside(xywh) && inside(xyxy) ? xyxy : xywh;
}

/**
 * Parses the text of an information file for an image of `image`'s size (see the module doc).
 * Throws {@linkcode KFaceInfoError} when it holds no usable box or points; `where` names the
 * file in the message.
 */
export function parseKFaceInfo(
  text: string,
  image: { width: number; height: number },
  options: { boxFormat?: KFaceBoxFormat; where?: string } = {},
): KFaceInfo {
  const where = options.where ?? "K-Face information file";
  const fmt = options.boxFormat ?? "auto";
  let box: FaceBox | undefined;
  const coords: number[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const label = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line)?.[0] ?? "";
    const nums = (line.slice(label.length).match(NUM) ?? []).map(Number);
    if (nums.length === 0) continue;
    if (nums.some((n) => !Number.isFinite(n))) {
      throw new KFaceInfoError(`${where}: non-finite number in '${line}'`);
    }
    const isBox = BOX_LABEL.test(label) || (!POINT_LABEL.test(label) && nums.length === 4);
    if (isBox) {
      if (nums.length !== 4) {
        throw new KFaceInfoError(`${where}: box line '${line}' needs 4 numbers`);
      }
      const lf = /xyxy|x1|ltrb/i.test(label) ? "xyxy" : /xywh/i.test(label) ? "xywh" : fmt;
      box = boxFrom(nums, lf, image);
      continue;
    }
    if (nums.length % 2 !== 0) {
      throw new KFaceInfoError(`${where}: odd count of coordinates in '${line}'`);
    }
    coords.push(...nums);
  }
  const n = coords.length / 2;
  if (n !== 0 && n !== 5 && n !== 68) {
    throw new KFaceInfoError(
      `${where}: ${n} points (supported: 5 ArcFace points or 68 iBUG points; see docs/data.md)`,
    );
  }
  const pts: Point[] = [];
  for (let i = 0; i < n; i++) pts.push([coords[2 * i], coords[2 * i + 1]]);
  const mx = image.width * 0.5, my = image.height * 0.5;
  const outside = ([x, y]: Point) =>
    x < -mx || y < -my || x > image.width + mx || y > image.height + my;
  if (pts.some(outside)) {
    throw new KFaceInfoError(
      `${where}: landmarks lie outside the ${image.width}x${image.height} image`,
    );
  }
  if (box) {
    const corners: Point[] = [[box.x, box.y], [box.x + box.width, box.y + box.height]];
    if (!(box.width > 1 && box.height > 1) || corners.some(outside)) {
      throw new KFaceInfoError(
        `${where}: box ${JSON.stringify(box)} is empty or outside the ` +
          `${image.width}x${image.height} image`,
      );
    }
  }
  if (!box && n === 0) throw new KFaceInfoError(`${where}: no box and no landmarks found`);
  const landmarks5 = n === 5 ? pts : n === 68 ? landmarks5From68(pts) : undefined;
  return { box, landmarks5, points: n };
}

/**
 * The information file of `imagePath` (`<stem>.txt` / `.TXT` beside it): its text, or `error`
 * when it exists but cannot be read; undefined when there is none.
 */
export async function readKFaceInfoText(
  imagePath: string,
): Promise<{ path: string; text?: string; error?: string } | undefined> {
  const stem = imagePath.replace(/\.[^./\\]*$/, "");
  for (const ext of [".txt", ".TXT"]) {
    try {
      return { path: stem + ext, text: await Deno.readTextFile(stem + ext) };
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        return { path: stem + ext, error: (e as Error).message };
      }
    }
  }
  return undefined;
}
