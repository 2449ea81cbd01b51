/**
 * Resolves the TFRecord shards of a dataset: a path, a list of paths, or glob-like patterns
 * whose file name part uses `*` (any run of characters) and `?` (one character), e.g.
 * `data/ms1m-*-of-*.tfrecord`.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { ShardNotFoundError } from "./errors.ts";

function patternToRegExp(name: string): RegExp {
  const body = name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/**
 * Expands `source` into a list of existing files, in the order given, each pattern's matches
 * sorted by name. Throws ShardNotFoundError for a missing file or a pattern matching nothing.
 */
export async function resolveShards(source: string | readonly string[]): Promise<string[]> {
  const items = typeof source === "string" ? [source] : [...source];
  if (items.length === 0) throw new ShardNotFoundError("(empty list)", "Pass at least one shard.");
  const out: string[] = [];
  for (const item of items) {
    const name = basename(item);
    if (!/[*?]/.test(name)) {
      try {
        const st = await Deno.stat(item);
        if (!st.isFile) throw new ShardNotFoundError(item, "It is not a file.");
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw new ShardNotFoundError(
            item,
            "Check the path, or convert the dataset first (lib/data/convert).",
          );
        }
        throw e;
      }
      out.push(item);
      continue;
    }
    const dir = dirname(item);
    if (/[*?]/.test(dir)) {
      throw new ShardNotFoundError(item, "Wildcards are only supported in the file name.");
    }
    const re = patternToRegExp(name);
    const found: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) if (e.isFile && re.test(e.name)) found.push(e.name);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new ShardNotFoundError(dir, `The folder of pattern ${item} does not exist.`);
      }
      throw e;
    }
    if (found.length === 0) {
      throw new ShardNotFoundError(
        item,
        "No file matches this pattern: check the folder and name.",
      );
    }
    found.sort();
    out.push(...found.map((f) => join(dir, f)));
  }
  return out;
}
