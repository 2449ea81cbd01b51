/**
 * `deno task doctor`'s report: what this machine has for training and evaluating (Deno and TF.js
 * versions, every backend, WebGPU adapters, NVIDIA GPUs, CUDA libraries, cores, memory, disk,
 * the data of each profile, Debian packages), and every problem with the command that fixes it.
 * Built from {@linkcode DoctorProbes} (faked in tests); rendered by doctor_table.ts.
 *
 * @module
 */
import { dirname } from "node:path";
import {
  cuda11WheelsCommand,
  type CudaLib,
  diagnoseTfjsNode,
  findCudaLibs,
  type TfjsNodeDiagnosis,
  type TfjsNodeProblem,
} from "../backend/tfjs_node/mod.ts";
import { PROFILE_NAMES } from "../notebook/cells/profiles.ts";
import type { BackendStatus, WebgpuAdapter } from "./backend_probe.ts";
import {
  debPackageVersion,
  type DiskSpace,
  diskSpace,
  type DoctorProbes,
  nvidiaSmi,
  resultsDir,
} from "./doctor_probes.ts";
import { type PinnedVersion, versionReport } from "./doctor_versions.ts";
import { computeCapNote, driverRunsCuda11, type NvidiaGpu, parseNvidiaGpus } from "./nvidia_smi.ts";
import { MIN_DRIVER_CUDA11 } from "../backend/tfjs_node/mod.ts";

/** Debian packages the tests and notebooks use, and what for. */
export const DEB_PACKAGES: readonly { name: string; why: string }[] = [
  { name: "python3-jupyter-client", why: "runs notebooks (deno task notebook / reproduce)" },
  { name: "chromium", why: "checks published reports (tests/reports_browser_test.ts)" },
];

/** Below this much free space under results/ the doctor reports a problem. */
export const MIN_FREE_DISK_BYTES = 5 * 2 ** 30;

/** Below this much available memory the doctor reports a problem (a wasm step needs ~3 GiB). */
export const MIN_AVAILABLE_MEMORY_BYTES = 4 * 2 ** 30;

/** One problem and the command that fixes it. */
export interface DoctorProblem {
  /** The report section ("versions", "backends", "nvidia", "cuda", "system", "data", "packages"). */
  section: string;
  /** What is wrong, with the path / name / value. */
  what: string;
  /** The command (or step) that fixes it. */
  fix: string;
}

/** The doctor's report (what `--json` prints). */
export interface DoctorReport {
  versions: { deno: PinnedVersion; tfjs: PinnedVersion[] };
  backends: BackendStatus[];
  /** `printed`: what wgpu printed on the probe's stderr (captured), if anything. */
  webgpu: { adapters: WebgpuAdapter[]; note: string | null; printed?: string };
  /** null: nvidia-smi is not installed (no NVIDIA GPU driver here). */
  nvidia: { gpus: NvidiaGpu[]; failed?: string; notes: string[] } | null;
  /** The tfjs-node diagnosis (lib/backend/tfjs_node/diagnose.ts), as it found the install. */
  tensorflow: {
    package: TfjsNodeDiagnosis["package"];
    binding: TfjsNodeDiagnosis["binding"];
    libtensorflow: TfjsNodeDiagnosis["libtensorflow"];
    /** Each problem of the install, by kind (package-absent, binding-misplaced, ...). */
    problems: TfjsNodeProblem[];
  };
  /** Each CUDA / cuDNN library libtensorflow 2.9.1 (GPU) needs: found by the loader or not. */
  cudaLibs: CudaLib[];
  system: {
    cores: number;
    memory: { totalBytes: number; availableBytes: number } | null;
    disk: ({ path: string } & DiskSpace) | null;
  };
  /** What `setupBackend("auto")` would pick here, and why. */
  auto: { backend: string; why: string };
  profiles: { name: string; ready: boolean; missing: string[] }[];
  packages: { name: string; version: string | null; why: string }[];
  problems: DoctorProblem[];
}

/** GiB with one decimal. */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** What `auto` picks: tensorflow, else webgpu on a hardware adapter, else native, else wasm. */
function autoChoice(backends: BackendStatus[], hardwareAdapter: boolean): DoctorReport["auto"] {
  const ok = (n: string) => backends.some((b) => b.name === n && b.available);
  if (ok("tensorflow")) return { backend: "tensorflow", why: "tfjs-node(-gpu) loads" };
  if (ok("webgpu") && hardwareAdapter) {
    return { backend: "webgpu", why: "a hardware WebGPU adapter is present" };
  }
  if (ok("native")) {
    return { backend: "native", why: "no tfjs-node, no hardware WebGPU; oneDNN (libdnnl2) loads" };
  }
  if (ok("wasm")) {
    return {
      backend: "wasm",
      why:
        "no tfjs-node and no hardware WebGPU adapter: training runs on one CPU core (no GPU here)",
    };
  }
  return { backend: "none", why: "not even wasm loads: run npm ci" };
}

/** Builds the report (never throws for what the machine lacks: that is a problem in it). */
export async function doctorReport(probes: DoctorProbes): Promise<DoctorReport> {
  const problems: DoctorProblem[] = [];
  const problem = (section: string, what: string, fix: string) =>
    problems.push({ section, what, fix });

  const versions = await versionReport(probes);
  problems.push(...versions.problems);

  // ---- NVIDIA
  const smi = await nvidiaSmi(probes.system);
  let nvidia: DoctorReport["nvidia"] = null;
  if (smi && "failed" in smi) {
    nvidia = { gpus: [], failed: smi.failed, notes: [] };
    problem(
      "nvidia",
      `nvidia-smi is installed but failed (${smi.failed}): the NVIDIA driver is not loaded`,
      "check the driver (sudo modprobe nvidia, or reinstall it; reboot after a driver upgrade)",
    );
  } else if (smi) {
    const gpus = parseNvidiaGpus(smi.csv);
    const notes = gpus.map(computeCapNote).filter((n): n is string => n !== null);
    nvidia = { gpus, notes: [...new Set(notes)] };
    for (const g of gpus) {
      if (!driverRunsCuda11(g.driver)) {
        problem(
          "nvidia",
          `driver ${g.driver} (${g.name}) is older than ${MIN_DRIVER_CUDA11}, the oldest that runs ` +
            "libtensorflow 2.9.1's CUDA 11.2",
          `install an NVIDIA driver >= ${MIN_DRIVER_CUDA11} (e.g. sudo apt-get install nvidia-driver)`,
        );
        break;
      }
    }
  }
  const hasNvidia = nvidia !== null && nvidia.gpus.length > 0;

  // ---- backends, WebGPU adapters, the tfjs-node diagnosis, CUDA libraries
  const { system, root, sitePackages } = probes;
  const [probed, tfDiag, cudaLibs] = await Promise.all([
    probes.backends(),
    diagnoseTfjsNode({ root, system, sitePackages }),
    findCudaLibs(system, { sitePackages }),
  ]);
  const hardware = probed.adapters.filter((a) => !a.software);
  const gpuHere = hasNvidia || hardware.length > 0;
  for (const p of tfDiag.problems) {
    // Without an NVIDIA GPU, no tfjs-node is no problem (wasm / webgpu train); the backends
    // table still says it is absent. The driver is checked above, from nvidia-smi.
    if (p.kind === "package-absent" && !hasNvidia) continue;
    if (p.kind === "driver-too-old" && problems.some((q) => q.section === "nvidia")) continue;
    problem("tensorflow", p.what, p.fix);
  }
  const cudaChecked = tfDiag.problems.some((p) => p.kind.startsWith("cuda-lib"));
  const absent = cudaLibs.filter((l) => !l.found && !l.path);
  const offPath = cudaLibs.filter((l) => !l.found && l.path);
  if (hasNvidia && !cudaChecked && absent.length > 0) {
    problem(
      "cuda",
      `CUDA 11 / cuDNN 8 libraries libtensorflow 2.9.1 needs are not found: ${
        absent.map((l) => l.name).join(", ")
      }`,
      cuda11WheelsCommand(),
    );
  }
  if (hasNvidia && !cudaChecked && offPath.length > 0) {
    problem(
      "cuda",
      `${offPath.map((l) => `${l.name} (${l.path})`).join(", ")} exist but the loader does not ` +
        "search there",
      `export LD_LIBRARY_PATH=${
        [...new Set(offPath.map((l) => dirname(l.path!)))].join(":")
      }:$LD_LIBRARY_PATH`,
    );
  }
  if (probed.failed) {
    problem(
      "backends",
      `${probed.failed}${probed.printed ? ` (it printed: ${probed.printed})` : ""}`,
      "run it alone to see its output: ./deno run -A lib/doctor/backend_probe.ts",
    );
  }
  const tfBackend = probed.backends.find((b) => b.name === "tensorflow");
  if (hasNvidia && tfBackend && !tfBackend.available && tfDiag.problems.length === 0) {
    problem(
      "backends",
      `tensorflow cannot be used: ${tfBackend.detail}`,
      "see README 'Training on a GPU'",
    );
  }
  const webgpu = probed.backends.find((b) => b.name === "webgpu");
  if (gpuHere && webgpu && !webgpu.available && !probed.failed) {
    problem(
      "backends",
      `a GPU is present but webgpu cannot use it: ${webgpu.detail}`,
      "install the Vulkan driver (NVIDIA: the driver's Vulkan ICD; Mesa: sudo apt-get install " +
        "mesa-vulkan-drivers) and set DENO_WEBGPU_BACKEND=vulkan",
    );
  }
  for (const b of probed.failed ? [] : probed.backends) {
    if ((b.name === "wasm" || b.name === "cpu") && !b.available) {
      problem("backends", `${b.name} cannot be used: ${b.detail}`, "npm ci");
    }
  }

  // ---- system
  const memory = probes.memory();
  if (memory && memory.availableBytes < MIN_AVAILABLE_MEMORY_BYTES) {
    problem(
      "system",
      `only ${gib(memory.availableBytes)} of memory available (a wasm training step needs ~3 GiB)`,
      "close other programs, or train with a smaller batch (train.batch_size in the config)",
    );
  }
  const dir = resultsDir(probes.root);
  const space = await diskSpace(system, dir);
  const disk = space ? { path: dir, ...space } : null;
  if (space && space.availableBytes < MIN_FREE_DISK_BYTES) {
    problem(
      "system",
      `only ${gib(space.availableBytes)} free under ${dir} (checkpoints, notebooks and reports ` +
        `need ${gib(MIN_FREE_DISK_BYTES)})`,
      `free space there, or make results/ a symlink to a bigger disk (mv results /big/results && ln -s /big/results results)`,
    );
  }

  // ---- data of each profile
  const profiles = PROFILE_NAMES.map((name) => {
    let missing: string[];
    try {
      missing = probes.profileMissing(name);
    } catch (e) {
      missing = [`configs/profiles/${name}.yaml — ${(e as Error).message}`];
    }
    for (const m of missing) {
      const [what, how] = m.split(" — ");
      problem("data", `profile ${name}: ${what} is missing`, how ?? "see docs/data.md");
    }
    return { name, ready: missing.length === 0, missing };
  });

  // ---- Debian packages
  const packages = await Promise.all(
    DEB_PACKAGES.map(async (p) => ({ ...p, version: await debPackageVersion(system, p.name) })),
  );
  for (const p of packages) {
    if (p.version === null) {
      problem(
        "packages",
        `Debian package ${p.name} is not installed (${p.why})`,
        `sudo apt-get install -y ${p.name}`,
      );
    }
  }

  return {
    versions: { deno: versions.deno, tfjs: versions.tfjs },
    auto: autoChoice(probed.backends, hardware.length > 0),
    backends: probed.backends,
    webgpu: {
      adapters: probed.adapters,
      note: probed.adaptersNote,
      ...(probed.printed ? { printed: probed.printed } : {}),
    },
    nvidia,
    tensorflow: {
      package: tfDiag.package,
      binding: tfDiag.binding,
      libtensorflow: tfDiag.libtensorflow,
      problems: tfDiag.problems,
    },
    cudaLibs,
    system: { cores: probes.cores(), memory, disk },
    profiles,
    packages,
    problems,
  };
}
