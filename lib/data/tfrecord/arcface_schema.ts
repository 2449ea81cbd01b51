/**
 * arcface-tf2's two TFRecord schemas, one tf.train.Example per image:
 *
 * - binary: `image/source_id` int64 (label), `image/filename` bytes (`<identity>/<file>`),
 *   `image/encoded` bytes (the image file's original bytes, not re-encoded);
 * - path: `image/source_id` int64 (label), `image/img_path` bytes (the image's path, read at
 *   training time).
 *
 * @module
 */
import { decodeExample, encodeExample, type Feature } from "./example_codec.ts";
import type { DecodedFeature } from "./example_types.ts";

/** Feature names of the schemas. */
export const ARCFACE_KEYS = {
  label: "image/source_id",
  filename: "image/filename",
  encoded: "image/encoded",
  imgPath: "image/img_path",
} as const;

/** Which arcface-tf2 schema. */
export type ArcfaceSchema = "binary" | "path";

/** One image of the binary schema. */
export interface ArcfaceBinaryExample {
  /** Dense class label 0..N-1. */
  label: number;
  /** `<identity>/<file>`. */
  filename: string;
  /** The image file's bytes (JPEG or PNG). */
  encoded: Uint8Array;
}

/** One image of the path schema. */
export interface ArcfacePathExample {
  /** Dense class label 0..N-1. */
  label: number;
  /** Path of the image file. */
  imgPath: string;
}

/** A decoded arcface record: binary schema (filename, encoded) or path schema (imgPath). */
export interface ArcfaceExample {
  /** Which schema the record follows. */
  schema: ArcfaceSchema;
  /** Dense class label. */
  label: number;
  /** `image/filename` when present. */
  filename?: string;
  /** `image/encoded` when present (a view into the record). */
  encoded?: Uint8Array;
  /** `image/img_path` when present. */
  imgPath?: string;
}

/** A record that is a valid Example but lacks (or mistypes) a field of the arcface schemas. */
export class ArcfaceSchemaError extends Error {
  override name = "ArcfaceSchemaError";
}

const utf8Enc = new TextEncoder();
const utf8Dec = new TextDecoder();

/** Serializes one image as a tf.train.Example of the binary or path schema. */
export function encodeArcfaceExample(
  example: ArcfaceBinaryExample | ArcfacePathExample,
): Uint8Array {
  if (!Number.isSafeInteger(example.label) || example.label < 0) {
    throw new ArcfaceSchemaError(`label must be a non-negative integer, got ${example.label}`);
  }
  const features: Record<string, Feature> = {
    [ARCFACE_KEYS.label]: { kind: "int64", value: [example.label] },
  };
  if ("encoded" in example) {
    features[ARCFACE_KEYS.filename] = { kind: "bytes", value: [utf8Enc.encode(example.filename)] };
    features[ARCFACE_KEYS.encoded] = { kind: "bytes", value: [example.encoded] };
  } else {
    features[ARCFACE_KEYS.imgPath] = { kind: "bytes", value: [utf8Enc.encode(example.imgPath)] };
  }
  return encodeExample(features);
}

function describe(f: Map<string, DecodedFeature>): string {
  const keys = [...f.keys()];
  return keys.length ? keys.map((k) => `'${k}' (${f.get(k)!.kind})`).join(", ") : "none";
}

function firstBytes(
  f: Map<string, DecodedFeature>,
  key: string,
): Uint8Array | undefined {
  const v = f.get(key);
  if (!v) return undefined;
  if (v.kind !== "bytes" || v.value.length !== 1) {
    throw new ArcfaceSchemaError(
      `feature '${key}' must be a bytes list of one value, got ${v.kind} with ` +
        `${v.value.length} values`,
    );
  }
  return v.value[0];
}

/**
 * Decodes a record of either schema. Throws {@linkcode ArcfaceSchemaError} naming the missing
 * fields and the ones found when the record has no `image/source_id`, or neither
 * `image/encoded` nor `image/img_path` (not a record written by an arcface converter).
 */
export function decodeArcfaceExample(record: Uint8Array): ArcfaceExample {
  const f = decodeExample(record);
  const id = f.get(ARCFACE_KEYS.label);
  if (!id || id.kind !== "int64" || id.value.length !== 1) {
    throw new ArcfaceSchemaError(
      `record has no int64 '${ARCFACE_KEYS.label}' (the label); features found: ` +
        `${describe(f)}. It was not written with the arcface-tf2 schema: re-convert the ` +
        `dataset with \`deno task convert\`.`,
    );
  }
  const raw = id.value[0];
  const label = typeof raw === "bigint" ? Number(raw) : raw;
  if (!Number.isSafeInteger(label) || label < 0) {
    throw new ArcfaceSchemaError(`label '${ARCFACE_KEYS.label}' is ${raw}: not a valid class id`);
  }
  const encoded = firstBytes(f, ARCFACE_KEYS.encoded);
  const filenameBytes = firstBytes(f, ARCFACE_KEYS.filename);
  const pathBytes = firstBytes(f, ARCFACE_KEYS.imgPath);
  if (!encoded && !pathBytes) {
    throw new ArcfaceSchemaError(
      `record has neither '${ARCFACE_KEYS.encoded}' (binary schema) nor ` +
        `'${ARCFACE_KEYS.imgPath}' (path schema); features found: ${describe(f)}. ` +
        `Re-convert the dataset with \`deno task convert\`.`,
    );
  }
  const out: ArcfaceExample = { schema: encoded ? "binary" : "path", label };
  if (filenameBytes) out.filename = utf8Dec.decode(filenameBytes);
  if (encoded) out.encoded = encoded;
  if (pathBytes) out.imgPath = utf8Dec.decode(pathBytes);
  return out;
}
