/**
 * Errors of the training input pipeline. Each names the file (and record) at fault and says
 * what to do about it.
 *
 * @module
 */

/** Invalid pipeline options (bad batch size, crop larger than the resized image, ...). */
export class PipelineConfigError extends Error {
  override name = "PipelineConfigError";
}

/** A TFRecord shard (or an image file named by a path-schema record) does not exist. */
export class ShardNotFoundError extends Error {
  override name = "ShardNotFoundError";
  /** The path that was not found. */
  readonly path: string;
  /** Creates the error for `path`, with `hint` appended to the message. */
  constructor(path: string, hint: string) {
    super(`Not found: ${path}. ${hint}`);
    this.path = path;
  }
}

/** A record whose tf.train.Example or image does not decode. */
export class RecordDecodeError extends Error {
  override name = "RecordDecodeError";
  /** The TFRecord file. */
  readonly file: string;
  /** 0-based index of the record inside `file`. */
  readonly recordIndex: number;
  /**
   * Creates the error for record `recordIndex` of `file`; `reason` says what failed, `hint`
   * what to do (default: the file is corrupt or not an arcface TFRecord).
   */
  constructor(file: string, recordIndex: number, reason: string, hint?: string) {
    super(
      `Record ${recordIndex} of ${file} does not decode: ${reason}. ` +
        (hint ??
          `The file is corrupt or was not written by an arcface TFRecord converter: re-convert ` +
            `the dataset (lib/data/convert) or remove this shard from the list.`),
    );
    this.file = file;
    this.recordIndex = recordIndex;
  }
}

/** A record whose label is not an integer in [0, numClasses). */
export class LabelRangeError extends Error {
  override name = "LabelRangeError";
  /** The TFRecord file. */
  readonly file: string;
  /** 0-based index of the record inside `file`. */
  readonly recordIndex: number;
  /** The offending label. */
  readonly label: number;
  /** Creates the error. */
  constructor(file: string, recordIndex: number, label: number, numClasses: number) {
    super(
      `Record ${recordIndex} of ${file} has label ${label}, outside [0, ${numClasses}). ` +
        `Set num_classes (the config key; option numClasses) to the dataset's number of ` +
        `identities (labels must be 0..N-1; see its labels.tsv), ` +
        `or re-convert the dataset so that labels are contiguous from 0.`,
    );
    this.file = file;
    this.recordIndex = recordIndex;
    this.label = label;
  }
}

/** The pipeline was used after `close()`, or a worker died. */
export class PipelineClosedError extends Error {
  override name = "PipelineClosedError";
}

/** An error as it crosses a worker boundary (structured-clone safe). */
export interface ErrorMessage {
  /** Error class name. */
  name: string;
  /** Message. */
  message: string;
  /** ShardNotFoundError's path. */
  path?: string;
  /** RecordDecodeError's / LabelRangeError's file. */
  file?: string;
  /** RecordDecodeError's / LabelRangeError's record index. */
  recordIndex?: number;
}

/** Flattens an error for postMessage. */
export function errorToMessage(e: unknown): ErrorMessage {
  if (e instanceof ShardNotFoundError) return { name: e.name, message: e.message, path: e.path };
  if (e instanceof RecordDecodeError) {
    return { name: e.name, message: e.message, file: e.file, recordIndex: e.recordIndex };
  }
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

/** Rebuilds the typed error from {@linkcode errorToMessage}'s output (same message). */
export function errorFromMessage(m: ErrorMessage): Error {
  let e: Error;
  if (m.name === "ShardNotFoundError") e = new ShardNotFoundError(m.path ?? "", "");
  else if (m.name === "RecordDecodeError") {
    e = new RecordDecodeError(m.file ?? "", m.recordIndex ?? -1, "");
  } else e = new Error(m.message);
  e.message = m.message;
  return e;
}
