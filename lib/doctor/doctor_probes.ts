/**
 * Everything the doctor asks the system, behind one interface so tests can fake a machine (no
 * nvidia-smi, an H200, a missing data set, a full disk). Files and commands go through the
 * tfjs-node diagnosis' {@linkcode SystemView} (lib/backend/tfjs_node/system_view.ts), the rest
 * (backends, cores, memory, profiles) through the members below. Nothing here prints.
 *
 * @module
 */
import { join } from "node:path";
import { type SystemView, systemView } from "../backend/tfjs_node/mod.ts";
import { repoRoot } from "../io/repo_root.ts";
import { profileMissing } from "../notebook/cells/profiles.ts";
import { type BackendProbeResult, probeBackends } from "./backend_probe.ts";
import { NVIDIA_SMI_ARGS } from "./nvidia_smi.ts";

/** Free and total bytes of the file system holding a path. */
export interface DiskSpace {
  availableBytes: number;
  totalBytes: number;
}

/** What the doctor asks the system. */
export interface DoctorProbes {
  /** The repository root (folder of package.json, node_modules, results/). */
  root: string;
  /** Files, folders, commands (nvidia-smi, ldconfig, df, dpkg-query), environment. */
  system: SystemView;
  /** `site-packages` folders to look for NVIDIA pip wheels in (default: asked of python3). */
  sitePackages?: string[];
  /** The running Deno's version. */
  denoVersion(): string;
  /** Every backend tried, and the WebGPU adapters (in a child process). */
  backends(): Promise<BackendProbeResult>;
  /** Logical cores. */
  cores(): number;
  /** Total and available memory in bytes, or null when unknown. */
  memory(): { totalBytes: number; availableBytes: number } | null;
  /** What profile `name` lacks here (lines `<path> — <how>`; [] = ready). */
  profileMissing(name: string): string[];
}

/** The probes of this machine. */
export function realDoctorProbes(root: string = repoRoot()): DoctorProbes {
  return {
    root,
    system: systemView(),
    denoVersion: () => Deno.version.deno,
    backends: () => probeBackends(),
    cores: () => navigator.hardwareConcurrency,
    memory: () => {
      try {
        const m = Deno.systemMemoryInfo();
        return { totalBytes: m.total, availableBytes: m.available };
      } catch {
        return null;
      }
    },
    profileMissing,
  };
}

/**
 * `nvidia-smi`'s CSV ({@linkcode NVIDIA_SMI_ARGS}), `{failed}` when it is installed but fails
 * (driver not loaded), undefined when it is not installed.
 */
export async function nvidiaSmi(
  system: SystemView,
): Promise<{ csv: string } | { failed: string } | undefined> {
  const r = await system.run("nvidia-smi", NVIDIA_SMI_ARGS);
  if (r === undefined) return undefined;
  return r.code === 0 ? { csv: r.stdout } : { failed: `exit code ${r.code}` };
}

/** Parses `df -Pk <path>`'s output (1024-blocks; the last line is the file system). */
export function parseDf(text: string): DiskSpace | null {
  const last = text.trim().split("\n").pop() ?? "";
  const cols = last.trim().split(/\s+/);
  const total = Number(cols[1]), avail = Number(cols[3]);
  if (cols.length < 6 || !Number.isFinite(total) || !Number.isFinite(avail)) return null;
  return { availableBytes: avail * 1024, totalBytes: total * 1024 };
}

/** Free space of the file system holding `path` (`df -Pk`), or null when unknown. */
export async function diskSpace(system: SystemView, path: string): Promise<DiskSpace | null> {
  const r = await system.run("df", ["-Pk", path]);
  return r && r.code === 0 ? parseDf(r.stdout) : null;
}

/** The installed version of a Debian package (`dpkg-query`), or null: not installed / no dpkg. */
export async function debPackageVersion(
  system: SystemView,
  name: string,
): Promise<string | null> {
  const r = await system.run("dpkg-query", ["-W", "-f=${Status}\t${Version}", name]);
  if (!r || r.code !== 0) return null;
  const [status, version] = r.stdout.split("\t");
  return /install ok installed/.test(status) && version ? version.trim() : null;
}

/** `<root>/results` (where the doctor measures free disk). */
export function resultsDir(root: string): string {
  return join(root, "results");
}
