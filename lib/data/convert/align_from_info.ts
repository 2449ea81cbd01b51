/**
 * The information-file step of align_source.ts: a K-Face `<stem>.txt` beside an image (its 5 / 68
 * points, or its box -> the 68-point landmark net inside it), or with `sameCamera` the L1
 * frame's file, -> the aligned crop, in-process on the calling thread's TF.js backend. When no
 * file can be used, it says why, and the caller sends the image to the detector.
 *
 * @module
 */
import { dirname } from "node:path";
import sharp from "sharp";
import { type Affine2x3, alignFace, type AlignTemplateName, type Point } from "../align/mod.ts";
import { writeFileAtomic } from "../../io/atomic_write.ts";
import type { RawImage } from "../../face/face_types.ts";
import { landmarksInBox } from "../../face/landmarks_in_box.ts";
import { landmarks5From68 } from "../../face/landmarks5.ts";
import { readRgbImage } from "../../face/read_rgb_image.ts";
import type { SkippedFile } from "./errors.ts";
import { type KFaceBoxFormat, parseKFaceInfo, readKFaceInfoText } from "./kface_info.ts";

/** How one image of {@linkcode alignFromInfo}'s caller was handled (a faces.json entry). */
export type AlignEntry =
  | {
    method: "fileLandmarks" | "fileBox" | "sameCamera" | "detector";
    /** Input -> crop similarity (provenance; tests check it against a known transform). */
    matrix: Affine2x3;
    padded?: boolean;
    info?: "none" | "bad";
  }
  | { noFace: string }
  | { badImage: string };

/** Writes `img` as a PNG at `path` atomically (folders made). */
export async function writePng(path: string, img: RawImage): Promise<void> {
  const png = await sharp(img.data, {
    raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 },
  }).png().toBuffer();
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, new Uint8Array(png.buffer, png.byteOffset, png.length));
}

/** Options of {@linkcode alignFromInfo}. */
export interface AlignFromInfoOptions {
  /** The crop's path. */
  out: string;
  /** Template of the crop. */
  template: AlignTemplateName;
  /** Side of the crop. */
  size: number;
  /** How unlabelled 4-number boxes are read. */
  boxFormat: KFaceBoxFormat;
  /** Borrow the L1 frame's file when the image has none. */
  sameCamera: boolean;
  /** Unusable information files are added here, with why. */
  badInfoFiles: SkippedFile[];
}

/**
 * An information file's points or box (or, with sameCamera, the L1 frame's) -> the crop; when
 * none can be used: which fallback reason the detector's entry carries.
 */
export async function alignFromInfo(
  path: string,
  options: AlignFromInfoOptions,
): Promise<{ entry: AlignEntry } | { info: "none" | "bad" }> {
  const { out, badInfoFiles, ...opts } = options;
  let image: RawImage;
  try {
    image = await readRgbImage(path);
  } catch (e) {
    return { entry: { badImage: `not decodable, not aligned (${(e as Error).message})` } };
  }
  let info: "none" | "bad";
  const file = await readKFaceInfoText(path);
  if (!file) info = "none";
  else {
    try {
      if (file.error !== undefined) throw new Error(`${file.path}: ${file.error}`);
      const parsed = parseKFaceInfo(file.text!, image, {
        boxFormat: opts.boxFormat,
        where: file.path,
      });
      let l5: Point[] | undefined = parsed.landmarks5;
      const method = l5 ? "fileLandmarks" : "fileBox";
      l5 ??= landmarks5From68(await landmarksInBox(image, parsed.box!));
      const a = alignFace(image, l5, opts);
      await writePng(out, a.image);
      return { entry: { method, matrix: a.matrix } };
    } catch (e) {
      info = "bad";
      badInfoFiles.push({ file: path, reason: (e as Error).message });
    }
  }
  const l1 = path.replace(/([/\\])L\d+([/\\])(E\d+[/\\][^/\\]+)$/, "$1L1$2$3");
  if (info === "none" && opts.sameCamera && l1 !== path) {
    const file = await readKFaceInfoText(l1);
    if (file?.text !== undefined) {
      try {
        const parsed = parseKFaceInfo(file.text, image, { boxFormat: opts.boxFormat });
        const l5 = parsed.box
          ? landmarks5From68(await landmarksInBox(image, parsed.box))
          : parsed.landmarks5!;
        const a = alignFace(image, l5, opts);
        await writePng(out, a.image);
        return { entry: { method: "sameCamera", matrix: a.matrix } };
      } catch { /* the detector */ }
    }
  }
  return { info };
}
