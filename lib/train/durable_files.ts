/**
 * Moved to `lib/io/atomic_write.ts` (one atomic-write module); this re-export only keeps
 * branches written against the old path compiling. Import from `lib/io/atomic_write.ts`.
 *
 * @module
 */
export {
  exists,
  removeQuietly,
  syncDir,
  writeBytesSynced,
  writeSynced,
} from "../io/atomic_write.ts";
