/**
 * The tensorflow backend's diagnosis, as the doctor reads it: which tfjs-node package is
 * installed, its binding, libtensorflow, the CUDA / cuDNN libraries the loader finds, and each
 * problem with its fix.
 *
 * The full diagnosis is the tfnode slice's `diagnoseTfjsNode` (lib/backend/tfjs_node/, issue 12,
 * developed in parallel: see its API in the module it lands in). Where that module is present it
 * is used; otherwise {@linkcode fallbackTensorflowDiagnosis} reports what the doctor can check
 * itself: the package present or absent and the CUDA libraries.
 *
 * @module
 */
import { join } from "node:path";
import { cudaLibsFix, type CudaLibStatus } from "./cuda_libs.ts";

/** A problem with the command or step that fixes it. */
export interface TensorflowProblem {
  what: string;
  fix: string;
}

/** The part of the tfnode slice's `TfjsNodeDiagnosis` the doctor uses (same field names). */
export interface TensorflowDiagnosis {
  /** The installed tfjs-node package, or null. */
  package: { name: string; dir: string; version: string; gpu: boolean } | null;
  /** The native binding: files found and where the loader looks (null: not checked). */
  binding: { found: string[]; expected: string; inPlace: boolean } | null;
  /** libtensorflow under the package's deps/lib (null: not checked). */
  libtensorflow: { dir: string; found: boolean; files: string[] } | null;
  /** The CUDA / cuDNN libraries libtensorflow 2.9.1 needs, found or not. */
  cudaLibs: CudaLibStatus[];
  /** Problems, each with its fix ([] = ready). */
  problems: TensorflowProblem[];
}

/** What {@linkcode fallbackTensorflowDiagnosis} reads. */
export interface TensorflowFallbackInputs {
  /** Folder holding node_modules. */
  root: string;
  /** Reads a file (undefined when absent). */
  readText: (path: string) => Promise<string | undefined>;
  /** The CUDA libraries the loader finds. */
  cudaLibs: CudaLibStatus[];
  /** Whether an NVIDIA GPU is present (CUDA libraries are then a problem when missing). */
  nvidia: boolean;
}

/** The doctor's own check, used until lib/backend/tfjs_node/ is merged. */
export async function fallbackTensorflowDiagnosis(
  inputs: TensorflowFallbackInputs,
): Promise<TensorflowDiagnosis> {
  let pkg: TensorflowDiagnosis["package"] = null;
  for (const name of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    const dir = join(inputs.root, "node_modules", name);
    const text = await inputs.readText(join(dir, "package.json"));
    if (text === undefined) continue;
    let version = "?";
    try {
      version = String(JSON.parse(text).version ?? "?");
    } catch { /* an unreadable package.json: version unknown */ }
    pkg = { name, dir, version, gpu: name.endsWith("-gpu") };
    break;
  }
  const problems: TensorflowProblem[] = [];
  if (!pkg && inputs.nvidia) {
    problems.push({
      what:
        "@tensorflow/tfjs-node-gpu is not installed (the tensorflow backend on this NVIDIA GPU)",
      fix: "npm install @tensorflow/tfjs-node-gpu@4.22.0 (its install script downloads " +
        "libtensorflow; see README 'Training on a GPU')",
    });
  }
  const cudaLibs = inputs.cudaLibs;
  const missing = cudaLibs.filter((l) => !l.found).map((l) => l.name);
  if (inputs.nvidia && missing.length > 0) {
    problems.push({
      what: `CUDA / cuDNN libraries libtensorflow 2.9.1 needs are not found by the loader: ${
        missing.join(", ")
      }`,
      fix: cudaLibsFix(missing)!,
    });
  }
  return { package: pkg, binding: null, libtensorflow: null, cudaLibs, problems };
}

/** The tfnode slice's diagnosis when its module is present, else null. */
export async function tfnodeDiagnosis(root: string): Promise<TensorflowDiagnosis | null> {
  // A computed specifier: this file type-checks and runs before that module is merged.
  const spec = new URL("../backend/tfjs_node/mod.ts", import.meta.url).href;
  let mod: { diagnoseTfjsNode?: (o: { root: string }) => Promise<TensorflowDiagnosis> };
  try {
    mod = await import(spec);
  } catch {
    return null;
  }
  return mod.diagnoseTfjsNode ? await mod.diagnoseTfjsNode({ root }) : null;
}
