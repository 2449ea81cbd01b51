/**
 * Notebook profiles: what each notebook runs where. `demo` runs on this machine's data
 * (`../shared/data`), `paper` on the user's MS1M / K-Face / AgeDB-30 / CFP-FP files on a GPU
 * machine, `tiny` is the demo cut to a few minutes for CI. Each is data,
 * `configs/profiles/<name>.yaml` (read by `profile_file.ts`); this file resolves one and checks
 * it: a profile whose data or model is missing stops at the notebook's first cell, saying what is
 * missing and how to get it.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DATA_ROOT_PLACEHOLDER } from "../../config/mod.ts";
import { defaultDataRoot, repoRoot } from "../../data/data_root.ts";
import { NOTEBOOK_NAMES, type NotebookName } from "./notebook_names.ts";
import { ProfileError } from "./profile_error.ts";
import { type ProfileFileSet, readProfileFile } from "./profile_file.ts";

export { NOTEBOOK_NAMES, type NotebookName, ProfileError };

/** Which notebooks a check is for: only what they need must exist. */
export interface ProfileCheckOptions {
  /** The notebooks that will run (default: all three). */
  notebooks?: readonly NotebookName[];
}

/** The profile names. */
export const PROFILE_NAMES = ["demo", "paper", "tiny"] as const;

/** A profile name. */
export type ProfileName = typeof PROFILE_NAMES[number];

/** One verification set of a profile, with the label the notebooks show. */
export interface ProfileSet {
  /** Shown in tables ("LFW", "AgeDB-30", ...). */
  label: string;
  /** The research log's key for the same benchmark, when it has one. */
  logKey: "lfw" | "agedb_30" | "cfp_fp" | null;
  /** What `resolveSet` takes. */
  spec: string;
}

/** What a profile runs. */
export interface NotebookProfile {
  name: ProfileName;
  /** One sentence for the notebooks' first cell. */
  description: string;
  /** The repository root (absolute). */
  root: string;
  /** Section 0: the pretrained model evaluated as it is. */
  baseline: {
    /** `face-api` or a model.json path. */
    model: string;
    /** What the model is, in words. */
    what: string;
    /** Loader options (input scaling of a converted model). */
    modelOptions?: Record<string, unknown>;
    /** Where its eval.json goes. */
    resultsName: string;
  };
  /** Verification sets of every section (training runs are evaluated on these). */
  sets: ProfileSet[];
  /** Section 0's sets: `sets` plus any the pretrained model alone can be scored on. */
  baselineSets: ProfileSet[];
  /** Section 1: training config (absolute path). */
  reproduceConfig: string;
  /** Section 2: training config (absolute path). */
  kfaceConfig: string;
  /** Section 2: the second data set and how the notebook must describe it. */
  secondSet: { label: string; note: string };
  /** Executed notebooks go to `results/notebooks/<profile>/`. */
  notebooksDir: string;
}

/** `configs/profiles/<name>.yaml` of the repository. */
export function profileFile(name: ProfileName): string {
  return join(repoRoot(), "configs", "profiles", `${name}.yaml`);
}

/**
 * Resolves a profile (`configs/profiles/<name>.yaml`) and checks that what `options.notebooks`
 * need exists: section 0 its model and sets, sections 1 and 2 their sets, and each `requires`
 * file the notebooks it names (so section 0 runs where only the checkpoint and the test sets are).
 *
 * @throws {ProfileError} for an unknown name or an invalid file, and naming every missing data
 * set or model and how to get it.
 */
export function loadProfile(name: string, options: ProfileCheckOptions = {}): NotebookProfile {
  const { profile, missing } = resolveProfile(name, options);
  if (missing.length > 0) throw missingError(name, missing);
  return profile;
}

/**
 * What profile `name` needs and this machine lacks, one `<path> — <how to get it>` line each
 * ([] when it can run here); `deno task doctor` lists them.
 *
 * @throws {ProfileError} for an unknown name or an invalid profile file.
 */
export function profileMissing(name: string, options: ProfileCheckOptions = {}): string[] {
  try {
    return resolveProfile(name, options).missing;
  } catch (e) {
    if (e instanceof ProfileMissingError) return e.missing;
    throw e;
  }
}

/** A profile with something missing: the ProfileError that also lists what. */
class ProfileMissingError extends ProfileError {
  constructor(message: string, readonly missing: string[]) {
    super(message);
  }
}

function resolveProfile(
  name: string,
  options: ProfileCheckOptions,
): { profile: NotebookProfile; missing: string[] } {
  const running = new Set<string>(options.notebooks ?? NOTEBOOK_NAMES);
  const trains = running.has("1_reproduce") || running.has("2_kface");
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new ProfileError(
      `unknown profile '${name}': use one of ${PROFILE_NAMES.join(", ")} (set ARCFACE_PROFILE)`,
    );
  }
  const file = readProfileFile(profileFile(name as ProfileName));
  const root = repoRoot();
  const expand = placeholders(name, root, file.env ?? {});
  const missing: string[] = [];
  const need = (path: string, how: string | undefined, used = true): string => {
    if (
      used && how !== undefined && !existsSync(path) &&
      !missing.some((m) => m.startsWith(`${path} — `))
    ) {
      missing.push(`${path} — ${how}`);
    }
    return path;
  };
  const toSet = (used: boolean) => (s: ProfileFileSet): ProfileSet => ({
    label: s.label,
    logKey: s.log_key,
    spec: need(expand(s.spec), s.how, used),
  });
  const baselineSets = (file.baseline_sets ?? file.sets).map(toSet(running.has("0_baseline")));
  const sets = file.sets.map(toSet(trains));
  const model = need(expand(file.baseline.model), file.baseline.how, running.has("0_baseline"));
  for (const r of file.requires ?? []) {
    need(expand(r.path), r.how, (r.notebooks ?? NOTEBOOK_NAMES).some((n) => running.has(n)));
  }
  const cfg = (f: string) => need(join(root, "configs", expand(f)), "restore configs/ from git");
  const reproduceConfig = cfg(file.reproduce_config);
  const kfaceConfig = cfg(file.kface_config);
  const profile: NotebookProfile = {
    name: name as ProfileName,
    description: file.description,
    root,
    baseline: {
      model,
      what: file.baseline.what,
      ...(file.baseline.model_options ? { modelOptions: file.baseline.model_options } : {}),
      resultsName: file.baseline.results_name,
    },
    sets,
    baselineSets,
    reproduceConfig,
    kfaceConfig,
    secondSet: { label: file.second_set.label, note: file.second_set.note },
    notebooksDir: join(root, "results", "notebooks", name),
  };
  return { profile, missing };
}

/**
 * `${ROOT}` (the repository), `${DATA_ROOT}` (the shared data; missing data root is an error only
 * where a profile uses it) and the profile's own `env` placeholders.
 */
function placeholders(
  name: string,
  root: string,
  env: Record<string, { var: string; default: string }>,
): (s: string) => string {
  const builtIn = (s: string): string => {
    let out = s.split("${ROOT}").join(root);
    if (out.includes(DATA_ROOT_PLACEHOLDER)) {
      const data = defaultDataRoot();
      if (!data) {
        throw missingError(name, [
          "../shared/data (or $ARCFACE_DATA_ROOT) — the folder holding lfw_112x112/ and att_faces/: " +
          "export ARCFACE_DATA_ROOT=/path/to/it",
        ]);
      }
      out = out.split(DATA_ROOT_PLACEHOLDER).join(data);
    }
    return out;
  };
  const values = new Map(
    Object.entries(env).map(([k, v]) => [k, Deno.env.get(v.var) ?? builtIn(v.default)]),
  );
  return (s) => {
    let out = builtIn(s);
    for (const [k, v] of values) out = out.split(`\${${k}}`).join(v);
    const left = out.match(/\$\{[A-Za-z_]+\}/);
    if (left) {
      throw new ProfileError(
        `${profileFile(name as ProfileName)}: unknown placeholder ${left[0]} in '${s}' ` +
          `(known: \${ROOT}, ${DATA_ROOT_PLACEHOLDER}${
            [...values.keys()].map((k) => `, \${${k}}`).join("")
          })`,
      );
    }
    return out;
  };
}

function missingError(name: string, missing: string[]): ProfileError {
  return new ProfileMissingError(
    `profile '${name}' cannot run here; missing:\n` + missing.map((m) => `  - ${m}`).join("\n"),
    missing,
  );
}
