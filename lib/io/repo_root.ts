/**
 * The repository root, resolved from this file's location (not the current directory), the one
 * place for it: data roots, notebook runner paths, profiles, CLIs and tests join paths to it.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (two folders above this file's folder `lib/io/`). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}
