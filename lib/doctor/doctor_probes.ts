/**
 * Everything the doctor asks the system, behind one interface so tests can fake a machine (no
 * nvidia-smi, an H200, a missing data set, a full disk). {@linkcode realDoctorProbes} asks this
 * machine; nothing here prints.
 *
 * @module
 */
import { join } from "node:path";
import { repoRoot } from "../io/repo_root.ts";
import { profileMissing } from "../notebook/cells/profiles.ts";
import { type BackendProbeResult, probeBackends } from "./backend_probe.ts";
import { type CudaLibStatus, findCudaLibs } from "./cuda_libs.ts";
import { NVIDIA_SMI_ARGS } from "./nvidia_smi.ts";
import {
  fallbackTensorflowDiagnosis,
  type TensorflowDiagnosis,
  tfnodeDiagnosis,
} from "./tensorflow_diagnosis.ts";

/** Free and total bytes of the file system holding a path. */
export interface DiskSpace {
  availableBytes: number;
  totalBytes: number;
}

/** What the doctor asks the system. */
export interface DoctorProbes {
  /** The repository root (folder of package.json, node_modules, results/). */
  root: string;
  /** The running Deno's version. */
  denoVersion(): string;
  /** A text file's content, or undefined when absent / unreadable. */
  readText(path: string): Promise<string | undefined>;
  /** Every backend tried, and the WebGPU adapters (in a child process). */
  backends(): Promise<BackendProbeResult>;
  /**
   * `nvidia-smi`'s CSV ({@linkcode NVIDIA_SMI_ARGS}) or its failure (exit code), or undefined
   * when it is not installed.
   */
  nvidiaSmi(): Promise<{ csv: string } | { failed: string } | undefined>;
  /** The tensorflow backend's diagnosis (`nvidia`: whether an NVIDIA GPU is present). */
  tensorflow(nvidia: boolean): Promise<TensorflowDiagnosis>;
  /** Logical cores. */
  cores(): number;
  /** Total and available memory in bytes, or null when unknown. */
  memory(): { totalBytes: number; availableBytes: number } | null;
  /** Free space of the file system holding `path`, or null when unknown. */
  disk(path: string): Promise<DiskSpace | null>;
  /** What profile `name` lacks here (lines `<path> — <how>`; [] = ready). */
  profileMissing(name: string): string[];
  /** The installed version of a Debian package, or null when not installed / no dpkg. */
  debPackage(name: string): Promise<string | null>;
}

async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string } | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  } catch {
    return undefined; // not on PATH (or no --allow-run)
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Parses `df -Pk <path>`'s output (1024-blocks; the last line is the file system). */
export function parseDf(text: string): DiskSpace | null {
  const last = text.trim().split("\n").pop() ?? "";
  const cols = last.trim().split(/\s+/);
  const total = Number(cols[1]), avail = Number(cols[3]);
  if (cols.length < 6 || !Number.isFinite(total) || !Number.isFinite(avail)) return null;
  return { availableBytes: avail * 1024, totalBytes: total * 1024 };
}

/** The CUDA libraries the loader finds here (`ldconfig -p` and LD_LIBRARY_PATH). */
async function cudaLibsHere(): Promise<CudaLibStatus[]> {
  const ld = await run("ldconfig", ["-p"]) ?? await run("/sbin/ldconfig", ["-p"]);
  return await findCudaLibs(ld?.stdout, {
    ldLibraryPath: Deno.env.get("LD_LIBRARY_PATH"),
    listDir,
  });
}

/** The probes of this machine. */
export function realDoctorProbes(root: string = repoRoot()): DoctorProbes {
  return {
    root,
    denoVersion: () => Deno.version.deno,
    readText,
    backends: () => probeBackends(),
    nvidiaSmi: async () => {
      const r = await run("nvidia-smi", NVIDIA_SMI_ARGS);
      if (r === undefined) return undefined;
      return r.code === 0 ? { csv: r.stdout } : { failed: `exit code ${r.code}` };
    },
    tensorflow: async (nvidia) =>
      await tfnodeDiagnosis(root) ??
        await fallbackTensorflowDiagnosis({
          root,
          readText,
          cudaLibs: await cudaLibsHere(),
          nvidia,
        }),
    cores: () => navigator.hardwareConcurrency,
    memory: () => {
      try {
        const m = Deno.systemMemoryInfo();
        return { totalBytes: m.total, availableBytes: m.available };
      } catch {
        return null;
      }
    },
    disk: async (path) => {
      const r = await run("df", ["-Pk", path]);
      return r && r.code === 0 ? parseDf(r.stdout) : null;
    },
    profileMissing,
    debPackage: async (name) => {
      const r = await run("dpkg-query", ["-W", "-f=${Status}\t${Version}", name]);
      if (!r || r.code !== 0) return null;
      const [status, version] = r.stdout.split("\t");
      return /install ok installed/.test(status) ? version.trim() : null;
    },
  };
}

/** `<root>/results` (where the doctor measures free disk). */
export function resultsDir(root: string): string {
  return join(root, "results");
}
