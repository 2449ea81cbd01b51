/**
 * Where an installed `@tensorflow/tfjs-node-gpu` / `@tensorflow/tfjs-node` keeps its parts, read
 * from the package itself (facts from the 4.22.0 tarball, `npm pack`, read for issue 12):
 *
 * - The loader (`dist/index.js`) asks `@mapbox/node-pre-gyp`'s `find()` for the binding: the
 *   package.json `binary.module_path` (`./lib/napi-v{napi_build_version}`) with the highest
 *   `binary.napi_versions` entry (4.22.0: 3..8) that the running runtime supports
 *   (`process.versions.napi`: Node 20 says 9, Deno 2.9 says 10, so both look in `lib/napi-v8`).
 * - The install script (`scripts/install.js`) downloads libtensorflow 2.9.1 into `deps/lib`
 *   (`libtensorflow.so.2.9.1` + `libtensorflow_framework.so.2.9.1` and their `.so.2` links),
 *   then `node-pre-gyp install --fallback-to-build` puts `tfjs_binding.node` in that folder, or
 *   in `build/Release` when it compiles. The binding finds libtensorflow through its rpath
 *   `$ORIGIN/../../deps/lib`, so a copy in another `lib/napi-v*` folder still finds it.
 * - When the binding is not in the folder the loader picks, the import fails with "The Node.js
 *   native addon module (tfjs_binding.node) can not be found at path"; the maintainers' answer
 *   is to copy it into the `lib/napi-v*` folder named in the message (tfjs#8581, tfjs#8579).
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import type { SystemView } from "./system_view.ts";

/** The two packages, GPU first (the order `setupBackend` tries them). */
export const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** One of {@linkcode TFJS_NODE_PACKAGES}. */
export type TfjsNodePackageName = typeof TFJS_NODE_PACKAGES[number];

/** The version this project pins (the last release; libtensorflow 2.9.1). */
export const TFJS_NODE_VERSION = "4.22.0";

/** The libtensorflow version tfjs-node 4.22.0 downloads (scripts/deps-constants.js). */
export const LIBTENSORFLOW_VERSION = "2.9.1";

/** The files under `deps/lib` the binding needs (the sonames it links against). */
export const LIBTENSORFLOW_FILES = ["libtensorflow.so.2", "libtensorflow_framework.so.2"] as const;

/** An installed package. */
export interface TfjsNodePackage {
  /** Package name. */
  name: TfjsNodePackageName;
  /** Its folder. */
  dir: string;
  /** package.json `version`. */
  version: string;
  /** Whether it is the GPU build. */
  gpu: boolean;
  /** package.json `binary.module_path` (default `./lib/napi-v{napi_build_version}`). */
  modulePath: string;
  /** package.json `binary.napi_versions` (default `[]`). */
  napiVersions: number[];
}

/** Where the binding is and where the loader looks for it. */
export interface BindingLayout {
  /** Every `tfjs_binding.node` the install left (lib/napi-v*, build/Release). */
  found: string[];
  /** Where the loader looks (`undefined` when no napi version of the package fits the runtime). */
  expected: string | undefined;
  /** The N-API version the runtime reports. */
  runtimeNapi: number;
  /** Whether `expected` exists. */
  inPlace: boolean;
}

/** libtensorflow under the package's `deps/lib`. */
export interface LibtensorflowLayout {
  /** `deps/lib` of the package. */
  dir: string;
  /** Whether every file of {@linkcode LIBTENSORFLOW_FILES} is there. */
  found: boolean;
  /** Names of {@linkcode LIBTENSORFLOW_FILES} that are missing. */
  missing: string[];
  /** Whether the real file `libtensorflow.so.2.9.1` is there (the install script's skip test). */
  versioned: boolean;
}

/** The N-API version of this runtime (`process.versions.napi`; Deno 2.9: 10). */
export function runtimeNapiVersion(): number {
  return Number(process.versions.napi ?? 0);
}

/** Finds the first installed package under `<root>/node_modules` (GPU first), or `null`. */
export async function findTfjsNodePackage(
  root: string,
  system: SystemView,
): Promise<TfjsNodePackage | null> {
  for (const name of TFJS_NODE_PACKAGES) {
    const dir = join(root, "node_modules", ...name.split("/"));
    const text = await system.readText(join(dir, "package.json"));
    if (text === undefined) continue;
    let json: { version?: string; binary?: { module_path?: string; napi_versions?: number[] } };
    try {
      json = JSON.parse(text);
    } catch {
      json = {};
    }
    return {
      name,
      dir,
      version: json.version ?? "unknown",
      gpu: name.endsWith("-gpu"),
      modulePath: json.binary?.module_path ?? "./lib/napi-v{napi_build_version}",
      napiVersions: (json.binary?.napi_versions ?? []).filter(Number.isInteger),
    };
  }
  return null;
}

/** The napi folder the loader picks: the highest of the package's versions <= the runtime's. */
export function expectedNapiVersion(
  napiVersions: number[],
  runtimeNapi: number,
): number | undefined {
  const fit = napiVersions.filter((v) => v <= runtimeNapi);
  return fit.length ? Math.max(...fit) : undefined;
}

/** Where the binding is, and where the loader will look for it (see the module doc). */
export async function bindingLayout(
  pkg: TfjsNodePackage,
  system: SystemView,
  runtimeNapi: number = runtimeNapiVersion(),
): Promise<BindingLayout> {
  const found: string[] = [];
  const lib = join(pkg.dir, "lib");
  for (const name of await system.listDir(lib)) {
    const file = join(lib, name, "tfjs_binding.node");
    if (/^napi-v\d+$/.test(name) && await system.exists(file)) found.push(file);
  }
  const built = join(pkg.dir, "build", "Release", "tfjs_binding.node");
  if (await system.exists(built)) found.push(built);
  const v = expectedNapiVersion(pkg.napiVersions, runtimeNapi);
  const expected = v === undefined ? undefined : join(
    pkg.dir,
    pkg.modulePath.replace("{napi_build_version}", String(v)),
    "tfjs_binding.node",
  );
  const inPlace = expected !== undefined && found.includes(expected);
  return { found, expected, runtimeNapi, inPlace };
}

/** libtensorflow under the package's `deps/lib`. */
export async function libtensorflowLayout(
  pkg: TfjsNodePackage,
  system: SystemView,
): Promise<LibtensorflowLayout> {
  const dir = join(pkg.dir, "deps", "lib");
  const missing: string[] = [];
  for (const f of LIBTENSORFLOW_FILES) if (!await system.exists(join(dir, f))) missing.push(f);
  const versioned = await system.exists(join(dir, `libtensorflow.so.${LIBTENSORFLOW_VERSION}`));
  return { dir, found: missing.length === 0, missing, versioned };
}
