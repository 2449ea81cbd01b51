/**
 * The doctor's versions section: Deno and the TF.js packages, installed vs pinned in
 * package.json, each mismatch a problem with its fix.
 *
 * @module
 */
import { join } from "node:path";
import type { DoctorProbes } from "./doctor_probes.ts";
import type { DoctorProblem } from "./doctor_report.ts";

/** The TF.js packages whose versions the doctor reports. */
export const TFJS_PACKAGES = [
  "@tensorflow/tfjs-core",
  "@tensorflow/tfjs-layers",
  "@tensorflow/tfjs-converter",
  "@tensorflow/tfjs-backend-cpu",
  "@tensorflow/tfjs-backend-wasm",
  "@tensorflow/tfjs-backend-webgpu",
] as const;

/** A version as installed and as pinned in package.json. */
export interface PinnedVersion {
  name: string;
  /** null: not installed. */
  installed: string | null;
  /** null: not pinned in package.json. */
  pinned: string | null;
}

async function pinned(probes: DoctorProbes): Promise<Record<string, string>> {
  const text = await probes.system.readText(join(probes.root, "package.json"));
  if (!text) return {};
  try {
    const p = JSON.parse(text);
    return { ...p.dependencies, ...p.devDependencies };
  } catch {
    return {};
  }
}

async function installedVersion(probes: DoctorProbes, name: string): Promise<string | null> {
  const text = await probes.system.readText(
    join(probes.root, "node_modules", name, "package.json"),
  );
  if (!text) return null;
  try {
    return String(JSON.parse(text).version);
  } catch {
    return null;
  }
}

/** Deno's and the TF.js packages' versions, and the problems among them. */
export async function versionReport(
  probes: DoctorProbes,
): Promise<{ deno: PinnedVersion; tfjs: PinnedVersion[]; problems: DoctorProblem[] }> {
  const problems: DoctorProblem[] = [];
  const problem = (section: string, what: string, fix: string) =>
    problems.push({ section, what, fix });
  const pins = await pinned(probes);
  const deno = { name: "deno", installed: probes.denoVersion(), pinned: pins["deno"] ?? null };
  if (deno.pinned && deno.pinned !== deno.installed) {
    problem(
      "versions",
      `Deno ${deno.installed} runs, package.json pins ${deno.pinned}`,
      "run through ./deno (it runs the pinned Deno; npm ci installs it)",
    );
  }
  const tfjs = await Promise.all(TFJS_PACKAGES.map(async (name) => ({
    name,
    installed: await installedVersion(probes, name),
    pinned: pins[name] ?? null,
  })));
  for (const v of tfjs) {
    if (v.installed === null) {
      problem("versions", `${v.name} is not installed under node_modules/`, "npm ci");
    } else if (v.pinned && v.pinned !== v.installed) {
      problem(
        "versions",
        `${v.name} ${v.installed} is installed, package.json pins ${v.pinned}`,
        "npm ci",
      );
    }
  }

  return { deno, tfjs, problems };
}
