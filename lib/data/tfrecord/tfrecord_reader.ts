/**
 * Streaming TFRecord reader: reads files in large chunks (never the whole file), checks both
 * CRCs of every record by default, and says exactly where a file is truncated or corrupted.
 *
 * @module
 */
import { maskedCrc32c } from "./crc32c.ts";
import { TFRecordError } from "./errors.ts";

/** Options of {@linkcode readTFRecords} and {@linkcode readTFRecordEntries}. */
export interface TFRecordReadOptions {
  /** Check the length CRC and the data CRC of every record (default true). */
  verifyCrc?: boolean;
  /** Bytes read per call (default 8 MiB); a larger record grows the buffer to fit it. */
  chunkSize?: number;
}

/** One record with where it came from. */
export interface TFRecordEntry {
  /** The record's data (a copy: it stays valid after the generator moves on). */
  record: Uint8Array;
  /** 0-based index of the record in its file. */
  index: number;
  /** Byte offset of the record's header in its file. */
  offset: number;
  /** The file. */
  file: string;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/**
 * Yields every record of `paths` (one file or several, in order) with its file, index and
 * byte offset. Throws {@linkcode TFRecordError} on a truncated or corrupted record.
 */
export async function* readTFRecordEntries(
  paths: string | readonly string[],
  options: TFRecordReadOptions = {},
): AsyncGenerator<TFRecordEntry> {
  for (const file of typeof paths === "string" ? [paths] : paths) {
    yield* readOneFile(file, options);
  }
}

/** Yields the data of every record of `paths` (see {@linkcode readTFRecordEntries}). */
export async function* readTFRecords(
  paths: string | readonly string[],
  options: TFRecordReadOptions = {},
): AsyncGenerator<Uint8Array> {
  for await (const entry of readTFRecordEntries(paths, options)) yield entry.record;
}

async function* readOneFile(
  file: string,
  options: TFRecordReadOptions,
): AsyncGenerator<TFRecordEntry> {
  const verify = options.verifyCrc ?? true;
  const chunkSize = Math.max(1 << 12, options.chunkSize ?? 8 << 20);
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true });
  } catch (e) {
    throw new TFRecordError(
      `cannot open TFRecord file ${file}: ${(e as Error).message}`,
      "io",
      file,
    );
  }
  try {
    const size = (await f.stat()).size;
    let buf = new Uint8Array(Math.min(chunkSize, Math.max(size, 16)));
    let start = 0, end = 0; // valid bytes are buf[start, end)
    let bufPos = 0; // file offset of buf[0]
    let eof = false;

    // Makes at least n bytes available from `start`; returns how many are (may be < n at EOF).
    const ensure = async (n: number): Promise<number> => {
      if (end - start >= n || eof) return end - start;
      if (buf.length - start < n) {
        if (n > buf.length) {
          const bigger = new Uint8Array(Math.max(n, chunkSize));
          bigger.set(buf.subarray(start, end));
          buf = bigger;
        } else {
          buf.copyWithin(0, start, end);
        }
        bufPos += start;
        end -= start;
        start = 0;
      }
      while (end - start < n) {
        const got = await f.read(buf.subarray(end));
        if (got === null || got === 0) {
          eof = true;
          break;
        }
        end += got;
      }
      return end - start;
    };

    for (let index = 0;; index++) {
      const avail = await ensure(12);
      const offset = bufPos + start;
      if (avail === 0) break;
      if (avail < 12) {
        throw new TFRecordError(
          `${file}: record ${index} at byte ${offset} is truncated: its header needs 12 bytes ` +
            `but only ${avail} remain (file size ${size}). The file is an incomplete copy or ` +
            `an interrupted write: copy it again or re-run the conversion.`,
          "truncated",
          file,
          index,
          offset,
        );
      }
      const dv = new DataView(buf.buffer, buf.byteOffset + start, 12);
      const lo = dv.getUint32(0, true), hi = dv.getUint32(4, true);
      const length = hi * 0x100000000 + lo;
      if (verify) {
        const stored = dv.getUint32(8, true);
        const computed = maskedCrc32c(buf.subarray(start, start + 8));
        if (stored !== computed) {
          throw new TFRecordError(
            `${file}: record ${index} at byte ${offset}: the length CRC does not match ` +
              `(stored ${hex(stored)}, computed ${hex(computed)}; the length field reads ` +
              `${length}). The file is corrupted, or is not an uncompressed TFRecord file ` +
              `(GZIP/ZLIB TFRecords are not supported): copy it again or re-run the conversion.`,
            "length-crc",
            file,
            index,
            offset,
          );
        }
      }
      const total = 12 + length + 4;
      const remaining = size - offset;
      if (total > remaining) {
        throw new TFRecordError(
          `${file}: record ${index} at byte ${offset} is truncated: it needs ${total} bytes ` +
            `(${length} of data + 16 of framing) but only ${remaining} remain (file size ` +
            `${size}). The file is an incomplete copy or an interrupted write: copy it again ` +
            `or re-run the conversion.`,
          "truncated",
          file,
          index,
          offset,
        );
      }
      const got = await ensure(total);
      if (got < total) {
        throw new TFRecordError(
          `${file}: record ${index} at byte ${offset} is truncated: expected ${total} bytes, ` +
            `${got} available (the file shrank while being read?). Copy it again.`,
          "truncated",
          file,
          index,
          offset,
        );
      }
      const data = buf.subarray(start + 12, start + 12 + length);
      if (verify) {
        const stored = new DataView(buf.buffer, buf.byteOffset + start + 12 + length, 4)
          .getUint32(0, true);
        const computed = maskedCrc32c(data);
        if (stored !== computed) {
          throw new TFRecordError(
            `${file}: record ${index} at byte ${offset}: the data CRC does not match ` +
              `(stored ${hex(stored)}, computed ${hex(computed)}; ${length} data bytes from ` +
              `byte ${offset + 12}). The file is corrupted: copy it again or re-run the ` +
              `conversion.`,
            "data-crc",
            file,
            index,
            offset,
          );
        }
      }
      const record = data.slice();
      start += total;
      yield { record, index, offset, file };
    }
  } finally {
    f.close();
  }
}
