/**
 * Streaming TFRecord writer: each record is framed as uint64 LE length, masked CRC32C of those
 * 8 bytes, the data, masked CRC32C of the data. Records are packed into one large buffer and
 * written with few, large async writes. Atomic by default: the file is written as
 * `<path>.tmp-<pid>` and renamed to `path` on {@linkcode TFRecordWriter.close}, so a failed or
 * aborted run never leaves a half-written file under the final name.
 *
 * @module
 */
import { maskedCrc32c } from "./crc32c.ts";
import { TFRecordError } from "./errors.ts";
import { commitTempFile, tempPathFor } from "../../io/atomic_write.ts";

/** Options of {@linkcode openTFRecordWriter}. */
export interface TFRecordWriterOptions {
  /** Write to `<path>.tmp-<pid>` and rename on close (default true). */
  atomic?: boolean;
  /** Size of the write buffer in bytes (default 8 MiB). */
  bufferSize?: number;
  /** The output as messages name it (default `path`; e.g. the final name of a temp shard). */
  outputName?: string;
}

/** What a closed writer wrote. */
export interface TFRecordWriteResult {
  /** The final path. */
  path: string;
  /** Records written. */
  records: number;
  /** Bytes written, framing included. */
  bytes: number;
}

/** An open TFRecord file. Calls must not overlap: await each `write` before the next. */
export interface TFRecordWriter {
  /** The final path (the file appears there on close when atomic). */
  readonly path: string;
  /** Where the bytes go now (`path`, or the temporary file when atomic). */
  readonly writingTo: string;
  /** Records written so far. */
  readonly records: number;
  /** Bytes written so far (framing included; some may still sit in the buffer). */
  readonly bytes: number;
  /** Appends one record. */
  write(record: Uint8Array): Promise<void>;
  /** Flushes, closes and (when atomic) renames to the final path. */
  close(): Promise<TFRecordWriteResult>;
  /** Closes and deletes what was written (the temporary file, or `path` when not atomic). */
  abort(): Promise<void>;
}

/** Bytes of framing around each record: 8 (length) + 4 (length CRC) + 4 (data CRC). */
export const TFRECORD_OVERHEAD = 16;

/** Writes all of `data` (a single `write` may write less). */
async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

/** Opens `path` for writing TFRecords (see the module doc for the atomic mode). */
export async function openTFRecordWriter(
  path: string,
  options: TFRecordWriterOptions = {},
): Promise<TFRecordWriter> {
  const atomic = options.atomic ?? true;
  const bufferSize = Math.max(1 << 16, options.bufferSize ?? 8 << 20);
  const writingTo = atomic ? tempPathFor(path) : path;
  const outputName = options.outputName ?? path;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(writingTo, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new TFRecordError(
      `cannot create ${writingTo}: ${(e as Error).message}. Check that the output folder ` +
        `exists and is writable.`,
      "io",
      path,
    );
  }
  const buf = new Uint8Array(bufferSize);
  const view = new DataView(buf.buffer);
  let used = 0, records = 0, bytes = 0, state: "open" | "closed" | "aborted" = "open";

  /**
   * A failed write (full disk, quota, I/O error) becomes a TFRecordError naming the file and
   * what was being written; the partial file is removed so nothing half-written stays behind.
   */
  const writeOrFail = async (data: Uint8Array) => {
    try {
      await writeAll(file, data);
    } catch (e) {
      const err = e as Error;
      const full = /no space left|os error 28|ENOSPC|quota/i.test(err.message);
      state = "aborted";
      try {
        file.close();
      } catch {
        // Already closed.
      }
      // Only a regular file (or a link) is ours to remove, never e.g. a device node.
      const info = await Deno.lstat(writingTo).catch(() => null);
      if (info && (info.isFile || info.isSymlink)) await Deno.remove(writingTo).catch(() => {});
      throw new TFRecordError(
        full
          ? `no space left on the device while writing ${outputName} (record ${records}, ` +
            `${bytes} bytes so far; ${writingTo} was removed). Free disk space or choose an ` +
            `output on another disk.`
          : `cannot write ${outputName} (record ${records}, ${bytes} bytes so far; ${writingTo} was ` +
            `removed): ${err.message}. Check the disk and the output folder.`,
        "io",
        path,
      );
    }
  };
  const flush = async () => {
    if (used > 0) {
      await writeOrFail(buf.subarray(0, used));
      used = 0;
    }
  };
  const checkOpen = () => {
    if (state !== "open") {
      throw new TFRecordError(`writer for ${path} is already ${state}`, "closed", path);
    }
  };

  return {
    path,
    writingTo,
    get records() {
      return records;
    },
    get bytes() {
      return bytes;
    },
    async write(record: Uint8Array): Promise<void> {
      checkOpen();
      const n = record.length;
      if (used + n + TFRECORD_OVERHEAD > bufferSize) await flush();
      const small = n + TFRECORD_OVERHEAD <= bufferSize;
      // Header: uint64 LE length (< 2^53 always), masked CRC of those 8 bytes.
      view.setUint32(used, n % 0x100000000, true);
      view.setUint32(used + 4, Math.floor(n / 0x100000000), true);
      view.setUint32(used + 8, maskedCrc32c(buf.subarray(used, used + 8)), true);
      used += 12;
      if (small) {
        buf.set(record, used);
        used += n;
      } else {
        await flush();
        await writeOrFail(record);
      }
      view.setUint32(used, maskedCrc32c(record), true);
      used += 4;
      records++;
      bytes += n + TFRECORD_OVERHEAD;
    },
    async close(): Promise<TFRecordWriteResult> {
      checkOpen();
      try {
        await flush();
        if (atomic) await file.sync();
      } finally {
        // A failed flush has closed the file and set the state to "aborted" already.
        if (state === "open") {
          state = "closed";
          file.close();
        }
      }
      if (atomic) await commitTempFile(writingTo, path);
      return { path, records, bytes };
    },
    async abort(): Promise<void> {
      if (state === "aborted") return; // also after a failed write, which removed its file
      if (state === "open") file.close();
      const wasClosed = state === "closed";
      state = "aborted";
      // After a successful close the file is final: abort then only removes a temp leftover.
      if (!wasClosed || !atomic) {
        await Deno.remove(wasClosed ? path : writingTo).catch(() => {});
      }
    },
  };
}
