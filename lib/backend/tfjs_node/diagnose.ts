/**
 * Diagnoses an installed tfjs-node(-gpu) BEFORE importing it: which piece is missing (package,
 * binding, binding in the wrong napi folder, libtensorflow, a CUDA/cuDNN library, the driver)
 * and the command that fixes each. `setupBackend("tensorflow")` words its error from this;
 * `deno task doctor` reports it. See package_layout.ts and cuda_libs.ts for the facts.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { repoRoot } from "../../io/repo_root.ts";
import {
  CUDA_LIBS,
  type CudaLib,
  type DriverInfo,
  findCudaLibs,
  MIN_DRIVER_CUDA11,
  nvidiaDriver,
} from "./cuda_libs.ts";
import {
  type BindingLayout,
  bindingLayout,
  findTfjsNodePackage,
  LIBTENSORFLOW_VERSION,
  type LibtensorflowLayout,
  libtensorflowLayout,
  runtimeNapiVersion,
  TFJS_NODE_VERSION,
  type TfjsNodePackage,
} from "./package_layout.ts";
import { type SystemView, systemView } from "./system_view.ts";

/** What kind of piece is missing (stable names: tests and the doctor match on them). */
export type TfjsNodeProblemKind =
  | "package-absent"
  | "binding-absent"
  | "binding-misplaced"
  | "napi-unsupported"
  | "libtensorflow-absent"
  | "cuda-lib-absent"
  | "cuda-lib-off-path"
  | "driver-absent"
  | "driver-too-old";

/** One missing piece and the command that fixes it. */
export interface TfjsNodeProblem {
  /** Which piece. */
  kind: TfjsNodeProblemKind;
  /** What is missing, and where. */
  what: string;
  /** The command (or step) that fixes it. */
  fix: string;
  /**
   * `cannot-load`: the import would fail (package, binding, libtensorflow). `no-gpu`: the GPU
   * build would load but run on the CPU (TensorFlow only logs the missing CUDA libraries).
   */
  effect: "cannot-load" | "no-gpu";
}

/** Which kinds only keep the GPU build off the GPU (it still loads and runs on the CPU). */
const NO_GPU_KINDS: readonly TfjsNodeProblemKind[] = [
  "cuda-lib-absent",
  "cuda-lib-off-path",
  "driver-absent",
  "driver-too-old",
];

function problem(kind: TfjsNodeProblemKind, what: string, fix: string): TfjsNodeProblem {
  return { kind, what, fix, effect: NO_GPU_KINDS.includes(kind) ? "no-gpu" : "cannot-load" };
}

/** Everything {@linkcode diagnoseTfjsNode} found. */
export interface TfjsNodeDiagnosis {
  /** The installed package (GPU build first), `null` when neither is installed. */
  package: TfjsNodePackage | null;
  /** Where the binding is and where the loader looks (`null` without a package). */
  binding: BindingLayout | null;
  /** libtensorflow under the package's deps/lib (`null` without a package). */
  libtensorflow: LibtensorflowLayout | null;
  /** The CUDA 11 / cuDNN 8 libraries (GPU package only; `[]` otherwise). */
  cudaLibs: CudaLib[];
  /** The NVIDIA driver (`null`: no nvidia-smi, or not checked for the CPU package). */
  driver: DriverInfo | null;
  /** Missing pieces, in the order to fix them; `[]`: ready to import. */
  problems: TfjsNodeProblem[];
}

/** Options of {@linkcode diagnoseTfjsNode}. */
export interface TfjsNodeDiagnosisOptions {
  /** Folder holding `node_modules` (default: the repository root). */
  root?: string;
  /** How to read the machine (default: the real one; tests build layouts and fake commands). */
  system?: SystemView;
  /** The runtime's N-API version (default `process.versions.napi`). */
  runtimeNapi?: number;
  /** `site-packages` folders to look for NVIDIA pip wheels in (default: asked of python3). */
  sitePackages?: string[];
}

const GPU = "@tensorflow/tfjs-node-gpu";

/**
 * The install commands, for npm (this project: `nodeModulesDir: manual`) and Deno-managed folders.
 * npm 11.19 (checked here with a local package) runs a dependency's install script with a warning
 * unless `strict-allow-scripts` is set, and refuses `--allow-scripts` in a project install;
 * Deno runs it only when allowed (deno#24487, deno#31075).
 */
export function tfjsNodeInstallCommand(pkg: string = GPU): string {
  return `npm install ${pkg}@${TFJS_NODE_VERSION} --foreground-scripts (it runs the install ` +
    `script, which downloads libtensorflow), or where Deno manages node_modules: ` +
    `deno install --allow-scripts=npm:${pkg} npm:${pkg}@${TFJS_NODE_VERSION} ` +
    `(or "allowScripts": ["npm:${pkg}"] in deno.json)`;
}

/** Reruns the install script of an installed package whose script was skipped or failed. */
export function tfjsNodeRerunScriptCommand(pkg: string = GPU): string {
  return `npm install-scripts approve ${pkg} && npm rebuild ${pkg} --foreground-scripts ` +
    `(needs internet access; where Deno manages node_modules: ` +
    `deno install --allow-scripts=npm:${pkg})`;
}

/** The route to the CUDA 11 libraries beside a CUDA 12 driver (NVIDIA pip wheels). */
export function cuda11WheelsCommand(): string {
  const wheels = [...new Set(CUDA_LIBS.map((l) => l.wheel))].map((w) => `'${w}'`).join(" ");
  const dirs = [...new Set(CUDA_LIBS.map((l) => l.wheelDir))]
    .map((d) => `$SP/nvidia/${d}/lib`).join(":");
  return `python3 -m pip install ${wheels}; ` +
    `SP=$(python3 -c 'import site;print(site.getsitepackages()[0])'); ` +
    `export LD_LIBRARY_PATH=${dirs}:$LD_LIBRARY_PATH`;
}

function packageProblems(pkg: TfjsNodePackage, binding: BindingLayout): TfjsNodeProblem[] {
  const reinstall = `rerun its install script: ${tfjsNodeRerunScriptCommand(pkg.name)}`;
  if (binding.expected === undefined) {
    return [
      problem(
        "napi-unsupported",
        `${pkg.name} ${pkg.version} supports N-API ${pkg.napiVersions.join(",") || "(none)"}, ` +
          `but this runtime reports N-API ${binding.runtimeNapi}`,
        `use ${pkg.name}@${TFJS_NODE_VERSION} (N-API 3..8) and a current Deno`,
      ),
    ];
  }
  if (binding.found.length === 0) {
    return [
      problem(
        "binding-absent",
        `${pkg.name} ${pkg.version} has no native binding (tfjs_binding.node) under ` +
          `${join(pkg.dir, "lib")} or build/Release: its install script did not run or failed`,
        reinstall,
      ),
    ];
  }
  if (!binding.inPlace) {
    return [
      problem(
        "binding-misplaced",
        `the loader looks for ${binding.expected} (N-API ${binding.runtimeNapi}), but the ` +
          `install left the binding at ${binding.found.join(", ")} (tfjs#8581)`,
        "deno task fix-tfjs-node (copies it where the loader looks)",
      ),
    ];
  }
  return [];
}

function libtensorflowProblems(pkg: TfjsNodePackage, lib: LibtensorflowLayout): TfjsNodeProblem[] {
  if (lib.found) return [];
  const so = `libtensorflow.so.${LIBTENSORFLOW_VERSION}`;
  const rerun = tfjsNodeRerunScriptCommand(pkg.name);
  return [
    problem(
      "libtensorflow-absent",
      `libtensorflow ${LIBTENSORFLOW_VERSION} is missing from ${lib.dir} ` +
        `(${lib.missing.join(", ")}): the install script's download failed or was skipped`,
      lib.versioned
        ? `the versioned files are there but their links are not: cd ${lib.dir} && ` +
          `ln -sf ${so} libtensorflow.so.2 && ln -sf libtensorflow_framework.so.${LIBTENSORFLOW_VERSION} libtensorflow_framework.so.2`
        : `rerun its install script with internet access (or TFJS_NODE_CDN_STORAGE=<http mirror>): ` +
          `${rerun}; or unpack libtensorflow ${LIBTENSORFLOW_VERSION} ` +
          `(${pkg.gpu ? "GPU" : "CPU"}, linux x86_64) into ${lib.dir} and rerun the install ` +
          `(it skips the download when ${so} is there)`,
    ),
  ];
}

function cudaProblems(libs: CudaLib[], driver: DriverInfo | null): TfjsNodeProblem[] {
  const problems: TfjsNodeProblem[] = [];
  if (driver === null) {
    problems.push(
      problem(
        "driver-absent",
        `${GPU} is installed but nvidia-smi was not found: no NVIDIA driver, so ` +
          `libtensorflow would run on the CPU`,
        `install the NVIDIA driver (>= ${MIN_DRIVER_CUDA11}), or use ` +
          `@tensorflow/tfjs-node (CPU) or ARCFACE_BACKEND=webgpu`,
      ),
    );
  } else if (!driver.ok) {
    problems.push(
      problem(
        "driver-too-old",
        `NVIDIA driver ${driver.version} is older than ${driver.minimum}, the oldest that ` +
          `runs CUDA 11 (libtensorflow ${LIBTENSORFLOW_VERSION} is built for CUDA 11.2)`,
        `upgrade the NVIDIA driver to >= ${driver.minimum} (any current driver, CUDA 12 ones ` +
          `included, runs CUDA 11 libraries)`,
      ),
    );
  }
  const absent = libs.filter((l) => !l.found && !l.path);
  const offPath = libs.filter((l) => !l.found && l.path);
  if (absent.length) {
    const names = absent.map((l) => l.name).join(", ");
    problems.push(
      problem(
        "cuda-lib-absent",
        `libtensorflow ${LIBTENSORFLOW_VERSION} (GPU) needs ${names} (CUDA 11 / cuDNN 8), ` +
          `not found on LD_LIBRARY_PATH, in the ldconfig cache, ` +
          `/usr/local/cuda*/lib64 or pip's site-packages/nvidia/*/lib (tfjs#8362)`,
        `install the CUDA 11 runtime libraries beside the driver: ${cuda11WheelsCommand()}`,
      ),
    );
  }
  if (offPath.length) {
    const dirs = [...new Set(offPath.map((l) => dirname(l.path!)))].join(":");
    problems.push(
      problem(
        "cuda-lib-off-path",
        `${offPath.map((l) => `${l.name} (${l.path})`).join(", ")} exist but the loader ` +
          `does not search there`,
        `export LD_LIBRARY_PATH=${dirs}:$LD_LIBRARY_PATH`,
      ),
    );
  }
  return problems;
}

/**
 * Diagnoses tfjs-node(-gpu) without importing it: the package, its binding and where the loader
 * looks for it, libtensorflow, and for the GPU build the CUDA 11 / cuDNN 8 libraries and the
 * driver. `problems` is empty when nothing is missing that this can see (an import may still
 * fail, e.g. an incompatible libc: that error is reported as is).
 */
export async function diagnoseTfjsNode(
  options: TfjsNodeDiagnosisOptions = {},
): Promise<TfjsNodeDiagnosis> {
  const system = options.system ?? systemView();
  const root = options.root ?? repoRoot();
  const pkg = await findTfjsNodePackage(root, system);
  if (!pkg) {
    return {
      package: null,
      binding: null,
      libtensorflow: null,
      cudaLibs: [],
      driver: null,
      problems: [
        problem(
          "package-absent",
          `neither ${GPU} nor @tensorflow/tfjs-node is installed under ` +
            `${join(root, "node_modules")}`,
          `${tfjsNodeInstallCommand(GPU)}; for the CPU build the same with ` +
            `@tensorflow/tfjs-node`,
        ),
      ],
    };
  }
  const binding = await bindingLayout(pkg, system, options.runtimeNapi ?? runtimeNapiVersion());
  const libtensorflow = await libtensorflowLayout(pkg, system);
  const cudaLibs = pkg.gpu
    ? await findCudaLibs(system, { sitePackages: options.sitePackages })
    : [];
  const driver = pkg.gpu ? await nvidiaDriver(system) : null;
  const problems = [
    ...packageProblems(pkg, binding),
    ...libtensorflowProblems(pkg, libtensorflow),
    ...(pkg.gpu ? cudaProblems(cudaLibs, driver) : []),
  ];
  return { package: pkg, binding, libtensorflow, cudaLibs, driver, problems };
}

/** The diagnosis' problems as one message: each missing piece, then its fix. */
export function tfjsNodeProblemText(diagnosis: TfjsNodeDiagnosis): string {
  return diagnosis.problems.map((p) => `${p.what}. Fix: ${p.fix}.`).join(" ");
}
