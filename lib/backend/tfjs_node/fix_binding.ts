/**
 * The binding-path fix (tfjs#8581, tfjs#8579): when the install left `tfjs_binding.node` in
 * another `lib/napi-v*` folder (or only in `build/Release`) than the one the loader picks for
 * this runtime, copy it there. Safe because an N-API addon built for version N loads in any
 * runtime that supports N or later, and the copy sits at the same depth, so its rpath
 * (`$ORIGIN/../../deps/lib`) still finds libtensorflow. Atomic (temp file + rename) and
 * idempotent. Library code: returns what it did, prints nothing.
 *
 * @module
 */
import { basename, dirname } from "node:path";
import { repoRoot } from "../../io/repo_root.ts";
import { writeFileAtomic } from "../../io/atomic_write.ts";
import { bindingLayout, findTfjsNodePackage, runtimeNapiVersion } from "./package_layout.ts";
import { systemView } from "./system_view.ts";
import { tfjsNodeInstallCommand, tfjsNodeRerunScriptCommand } from "./diagnose.ts";

/** Options of {@linkcode fixTfjsNodeBinding}. */
export interface FixTfjsNodeBindingOptions {
  /** Folder holding `node_modules` (default: the repository root). */
  root?: string;
  /** Only say what would be done (default false). */
  dryRun?: boolean;
  /** The runtime's N-API version (default `process.versions.napi`; tests). */
  runtimeNapi?: number;
}

/** What {@linkcode fixTfjsNodeBinding} did. */
export interface FixTfjsNodeBindingResult {
  /** `copied`, `would-copy` (with `dryRun`) or `already-in-place`. */
  action: "copied" | "would-copy" | "already-in-place";
  /** The binding copied from. */
  from?: string;
  /** Where the loader looks (the copy). */
  to?: string;
  /** One sentence for people. */
  message: string;
}

/** Raised when the fix cannot apply: no package, no binding at all, no fitting napi folder. */
export class TfjsNodeFixError extends Error {
  override name = "TfjsNodeFixError";
}

function napiOf(path: string): number {
  const m = /napi-v(\d+)/.exec(basename(dirname(path)));
  return m ? Number(m[1]) : -1;
}

/**
 * Finds the binding the install produced and copies it to the `lib/napi-v*` folder the loader
 * looks in. Throws {@linkcode TfjsNodeFixError} (saying what is missing and the command that
 * fixes it) when there is no package or no binding to copy.
 */
export async function fixTfjsNodeBinding(
  options: FixTfjsNodeBindingOptions = {},
): Promise<FixTfjsNodeBindingResult> {
  const root = options.root ?? repoRoot();
  const system = systemView();
  const pkg = await findTfjsNodePackage(root, system);
  if (!pkg) {
    throw new TfjsNodeFixError(
      `no @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node under ${root}/node_modules: ` +
        `install it first: ${tfjsNodeInstallCommand()}`,
    );
  }
  const layout = await bindingLayout(pkg, system, options.runtimeNapi ?? runtimeNapiVersion());
  if (layout.expected === undefined) {
    throw new TfjsNodeFixError(
      `${pkg.name} ${pkg.version} has no N-API version <= ${layout.runtimeNapi} ` +
        `(package.json binary.napi_versions: ${pkg.napiVersions.join(",") || "none"})`,
    );
  }
  if (layout.inPlace) {
    return {
      action: "already-in-place",
      to: layout.expected,
      message: `${pkg.name}: the binding is already where the loader looks (${layout.expected})`,
    };
  }
  if (layout.found.length === 0) {
    throw new TfjsNodeFixError(
      `${pkg.name} ${pkg.version} has no tfjs_binding.node under ${pkg.dir}/lib or ` +
        `build/Release (its install script did not run or failed): ` +
        tfjsNodeRerunScriptCommand(pkg.name),
    );
  }
  // The highest napi folder first (closest to what the loader wants), build/Release last.
  const from = [...layout.found].sort((a, b) => napiOf(b) - napiOf(a))[0];
  const to = layout.expected;
  if (options.dryRun) {
    return { action: "would-copy", from, to, message: `would copy ${from} -> ${to} (dry run)` };
  }
  await writeFileAtomic(to, await Deno.readFile(from), { mkdir: true });
  return {
    action: "copied",
    from,
    to,
    message: `copied ${from} -> ${to} (where the loader looks under N-API ${layout.runtimeNapi})`,
  };
}
