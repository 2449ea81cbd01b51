/**
 * CRC32C (Castagnoli) and TFRecord's masked form, on the native @node-rs/crc32 (~5 GB/s).
 *
 * @module
 */
import { crc32c as nativeCrc32c } from "@node-rs/crc32";

const MASK_DELTA = 0xa282ead8;

/** CRC32C of `data` as an unsigned 32-bit integer (check value: "123456789" -> 0xE3069283). */
export function crc32c(data: Uint8Array): number {
  return nativeCrc32c(data) >>> 0;
}

/**
 * Extends a running CRC32C `crc` (unmasked; 0 to start) over `data`: CRC32C(a ++ b) ==
 * crc32cExtend(crc32c(a), b). TensorFlow's string tensors checksum their parts this way.
 */
export function crc32cExtend(crc: number, data: Uint8Array): number {
  return nativeCrc32c(data, crc >>> 0) >>> 0;
}

/** TFRecord's mask of a CRC: `((c >>> 15) | (c << 17)) + 0xa282ead8`, as a uint32. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** The masked CRC32C of `data`, as stored in TFRecord framing. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(nativeCrc32c(data) >>> 0);
}
