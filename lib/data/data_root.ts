/**
 * Where the shared real data sets live (LFW 112x112, AT&T faces, ...), without hard-coding a
 * machine path: `ARCFACE_DATA_ROOT` when set, else `../shared/data` next to the repository root.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { repoRoot } from "../io/repo_root.ts";

/** Environment variable that overrides the data root. */
export const DATA_ROOT_ENV_VAR = "ARCFACE_DATA_ROOT";

/** Raised by {@linkcode requireDataRoot} when no data root can be found. */
export class DataRootError extends Error {
  override name = "DataRootError";
}

export { repoRoot };

/**
 * The data root: `$ARCFACE_DATA_ROOT` (resolved against the current directory) when set, else
 * `<repo root>/../shared/data` when that folder exists, else `undefined` (tests use this to
 * skip cleanly on a machine without the shared data).
 */
export function defaultDataRoot(): string | undefined {
  const env = Deno.env.get(DATA_ROOT_ENV_VAR);
  if (env) return resolve(env);
  const candidate = join(repoRoot(), "..", "shared", "data");
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Like {@linkcode defaultDataRoot} but throws a {@linkcode DataRootError} saying how to point
 * at the data when none is found. `sub` (e.g. `"lfw_112x112"`) is joined to the root.
 */
export function requireDataRoot(sub = ""): string {
  const root = defaultDataRoot();
  if (!root) {
    throw new DataRootError(
      `no data root: ${join(repoRoot(), "..", "shared", "data")} does not exist and ` +
        `${DATA_ROOT_ENV_VAR} is not set. Set ${DATA_ROOT_ENV_VAR} to the folder that holds ` +
        `the data sets (e.g. lfw_112x112/, att_faces/).`,
    );
  }
  const path = sub ? join(root, sub) : root;
  if (!existsSync(path)) {
    throw new DataRootError(
      `${path} does not exist under the data root ${root}; check ${DATA_ROOT_ENV_VAR} or the ` +
        `shared data folder.`,
    );
  }
  return path;
}
