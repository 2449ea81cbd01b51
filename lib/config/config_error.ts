/**
 * The config's typed error and the "did you mean" helper its messages use.
 *
 * @module
 */

/** Raised for an invalid, unreadable or inconsistent training config. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** The (dotted) key at fault, e.g. `"augment.flip"`; `undefined` when no key is involved. */
  readonly key: string | undefined;
  /** The file (or `--set ...` override) the faulty value came from, when known. */
  readonly source: string | undefined;

  /** Creates the error; `options.cause` keeps the underlying error (I/O, YAML). */
  constructor(
    message: string,
    options: { key?: string; source?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.key = options.key;
    this.source = options.source;
  }
}

/**
 * Edit distance between two strings: insertions, deletions, substitutions and swaps of two
 * neighbouring characters each count 1 (optimal string alignment distance).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo: the same up to
 * case, `_`/`-` (`batchSize` -> `batch_size`), or an edit distance of at most
 * `max(1, min(3, floor(length / 3)))`. `undefined` otherwise.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const squashed = squash(word);
  const same = candidates.find((c) => squash(c) === squashed);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** A short description of a value for error messages: `"five" (string)`, `0.5 (number)`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  const type = Array.isArray(value) ? "array" : typeof value;
  let text: string;
  try {
    text = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > 60) text = text.slice(0, 57) + "...";
  return `${text} (${type})`;
}
