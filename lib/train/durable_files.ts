/**
 * File helpers for crash-safe writes (checkpoints and model exports): fsynced files, fsynced
 * folders, and quiet removal of leftovers.
 *
 * @module
 */

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
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
