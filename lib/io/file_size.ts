/**
 * The size of a regular file, or nothing: the one check behind "is this checkpoint / shard /
 * index complete" wherever the project asks it.
 *
 * @module
 */

/** `path`'s size in bytes when it is a regular file; undefined when missing or not a file. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info.size : undefined;
  } catch {
    return undefined;
  }
}
