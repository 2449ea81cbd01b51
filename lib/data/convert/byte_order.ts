/**
 * Byte-order string comparison: the order of the strings' UTF-8 bytes, which equals Unicode
 * code point order (what Python's `sorted()` and `LC_ALL=C ls` give). JavaScript's default
 * sort compares UTF-16 code units and differs for characters beyond U+FFFF.
 *
 * @module
 */

/** Compares `a` and `b` by UTF-8 byte order (negative, zero or positive). */
export function compareByteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800-0xDFFF) stands for a code point > 0xFFFF: it sorts after every BMP
    // character, including 0xE000-0xFFFF, which UTF-16 order gets wrong.
    const sx = x >= 0xd800 && x <= 0xdfff, sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts `items` in place by `key` in UTF-8 byte order and returns them. */
export function sortByteOrder<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((p, q) => compareByteOrder(key(p), key(q)));
}
