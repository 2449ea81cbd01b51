/**
 * Crash-safe file writes, the one place for them: a file is written to a temporary sibling
 * (`<path>.tmp-<pid>`, same folder so the rename cannot cross file systems), fsynced, renamed
 * over `path` and the folder fsynced; on failure the temporary file is removed and the error
 * rethrown. Also the small helpers checkpoints and exports build their atomic folders from
 * (fsynced files and folders, quiet removal, existence).
 *
 * @module
 */
import { dirname } from "node:path";

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
}

/** The temporary sibling an atomic write of `path` goes through: `<path>.tmp-<pid>`. */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${Deno.pid}`;
}

/** Options of {@linkcode writeFileAtomic} and {@linkcode withAtomicFile}. */
export interface AtomicWriteOptions {
  /** Create the parent folder first (like `mkdir -p`; default false). */
  mkdir?: boolean;
  /** The temporary file (default {@linkcode tempPathFor}(path)); must be in `path`'s folder. */
  tempPath?: string;
}

/**
 * Renames the finished (closed) temporary file `tmp` over `path` and fsyncs the folder; when the
 * rename fails, `tmp` is removed and the error rethrown.
 */
export async function commitTempFile(tmp: string, path: string): Promise<void> {
  try {
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dirname(path));
}

/**
 * Streaming atomic write: opens the temporary file, lets `fill` write to it, fsyncs, closes and
 * renames it over `path` ({@linkcode commitTempFile}). When anything fails the temporary file is
 * closed and removed, `path` is left as it was, and the error is rethrown.
 */
export async function withAtomicFile(
  path: string,
  fill: (file: Deno.FsFile) => Promise<void>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (options.mkdir) await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = options.tempPath ?? tempPathFor(path);
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  let open = true;
  try {
    await fill(file);
    await file.sync();
    file.close();
    open = false;
  } catch (e) {
    if (open) file.close();
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await commitTempFile(tmp, path);
}

/** Writes `content` (text as UTF-8, or bytes) to `path` atomically (see the module doc). */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  await withAtomicFile(path, (file) => writeAll(file, bytes), options);
}

/**
 * Renames the finished folder `tmp` over `final` (the folder counterpart of
 * {@linkcode commitTempFile}): an existing `final` is first renamed to `aside`, put back when the
 * rename fails (the error is rethrown), and removed after success; the parent folder is fsynced.
 * `tmp` and `aside` must be siblings of `final`. The caller removes `tmp` on failure.
 */
export async function commitTempDir(tmp: string, final: string, aside: string): Promise<void> {
  const replacing = await exists(final);
  if (replacing) await Deno.rename(final, aside);
  try {
    await Deno.rename(tmp, final);
  } catch (e) {
    if (replacing) await Deno.rename(aside, final).catch(() => {});
    throw e;
  }
  await syncDir(dirname(final));
  if (replacing) await removeQuietly(aside);
}

/** Creates `path` (it must not exist), lets `fill` write it, fsyncs and closes it (also on failure). */
export async function writeSynced(
  path: string,
  fill: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true });
  try {
    await fill((bytes) => writeAll(file, bytes));
    await file.sync();
  } finally {
    file.close();
  }
}

/** {@linkcode writeSynced} of one byte array. */
export async function writeBytesSynced(path: string, bytes: Uint8Array): Promise<void> {
  await writeSynced(path, (write) => write(bytes));
}

/** fsyncs a folder so renames in it are durable; best effort (not possible on every OS). */
export async function syncDir(dir: string): Promise<void> {
  let f: Deno.FsFile | undefined;
  try {
    f = await Deno.open(dir, { read: true });
    await f.sync();
  } catch {
    // Folders cannot be opened or fsynced on some platforms (Windows).
  } finally {
    f?.close();
  }
}

/** Removes a file or folder tree, ignoring failures (already gone, or retried later). */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch {
    // Already gone, or retried at the next save.
  }
}

/** Whether something (even a dangling link) exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
