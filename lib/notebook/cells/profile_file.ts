/**
 * A notebook profile file, `configs/profiles/<name>.yaml`, read and checked: every key known and
 * of its type, nothing resolved yet (placeholders stay as written). {@linkcode loadProfile}
 * resolves it and checks that its data exists.
 *
 * @module
 */
import { parse } from "yaml";
import { NOTEBOOK_NAMES } from "./notebook_names.ts";
import { ProfileError } from "./profile_error.ts";

/** One verification set as a profile file writes it. */
export interface ProfileFileSet {
  /** Shown in tables ("LFW", "AgeDB-30", ...). */
  label: string;
  /** The research log's key for the same benchmark, when it has one. */
  log_key: "lfw" | "agedb_30" | "cfp_fp" | null;
  /** What `resolveSet` takes: a set name (`lfw-view1`) or a `.bin` path. */
  spec: string;
  /** When given, `spec` is a file that must exist, and this says how to get it. */
  how?: string;
}

/** A profile file's content. */
export interface ProfileFile {
  /** One sentence for the notebooks' first cell. */
  description: string;
  /** Placeholders `${NAME}` this profile adds: an environment variable, else the default. */
  env?: Record<string, { var: string; default: string }>;
  /** Section 0: the pretrained model evaluated as it is. */
  baseline: {
    /** `face-api` or a model.json path. */
    model: string;
    /** What the model is, in words. */
    what: string;
    /** Loader options (input scaling of a converted model). */
    model_options?: Record<string, unknown>;
    /** Where its eval.json goes. */
    results_name: string;
    /** When given, `model` is a file that must exist, and this says how to get it. */
    how?: string;
  };
  /** Verification sets of every section (training runs are evaluated on these). */
  sets: ProfileFileSet[];
  /** Section 0's sets; default `sets`. */
  baseline_sets?: ProfileFileSet[];
  /** Section 1's training config, a file in `configs/`. */
  reproduce_config: string;
  /** Section 2's training config, a file in `configs/`. */
  kface_config: string;
  /** Section 2: the second data set and how the notebook must describe it. */
  second_set: { label: string; note: string };
  /**
   * Further files the profile needs, each with how to get it and the notebooks that need it
   * (default: all), so that one section runs where only its own data is.
   */
  requires?: { path: string; how: string; notebooks?: string[] }[];
}

type Rule = (v: unknown, at: string) => void;

/** Reads and checks `path`; throws a {@linkcode ProfileError} naming the file and the key. */
export function readProfileFile(path: string): ProfileFile {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ProfileError(
      `cannot read profile file ${path}: ${
        (e as Error).message
      }; restore configs/profiles/ from git`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ProfileError(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const fail = (at: string, what: string): never => {
    throw new ProfileError(`${path}: ${at ? `'${at}' ` : ""}${what}`);
  };
  const str: Rule = (v, at) => {
    if (typeof v !== "string" || v === "") fail(at, `must be a non-empty string, got ${show(v)}`);
  };
  const oneOf = (...allowed: unknown[]): Rule => (v, at) => {
    if (!allowed.includes(v)) fail(at, `must be one of ${allowed.map(show).join(", ")}`);
  };
  const map: Rule = (v, at) => {
    if (!isRecord(v)) fail(at, `must be a mapping, got ${show(v)}`);
  };
  const obj = (rules: Record<string, Rule>, optional: string[] = []): Rule => (v, at) => {
    if (!isRecord(v)) return fail(at, `must be a mapping, got ${show(v)}`);
    for (const k of Object.keys(v)) {
      if (!(k in rules)) {
        fail(
          at ? `${at}.${k}` : k,
          `is not a profile key (known: ${Object.keys(rules).join(", ")})`,
        );
      }
    }
    for (const [k, rule] of Object.entries(rules)) {
      const key = at ? `${at}.${k}` : k;
      if (v[k] === undefined) {
        if (!optional.includes(k)) fail(key, "is missing");
      } else rule(v[k], key);
    }
  };
  const list = (rule: Rule): Rule => (v, at) => {
    if (!Array.isArray(v) || v.length === 0) return fail(at, `must be a non-empty list`);
    v.forEach((x, i) => rule(x, `${at}[${i}]`));
  };
  const record = (rule: Rule): Rule => (v, at) => {
    if (!isRecord(v)) return fail(at, `must be a mapping, got ${show(v)}`);
    for (const [k, x] of Object.entries(v)) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(k)) fail(`${at}.${k}`, "must be an UPPER_CASE name");
      rule(x, `${at}.${k}`);
    }
  };
  const notebook: Rule = (v, at) => {
    if (!(NOTEBOOK_NAMES as readonly unknown[]).includes(v)) {
      fail(at, `must be one of ${NOTEBOOK_NAMES.join(", ")}, got ${show(v)}`);
    }
  };
  const set = obj({
    label: str,
    log_key: oneOf("lfw", "agedb_30", "cfp_fp", null),
    spec: str,
    how: str,
  }, [
    "how",
  ]);
  obj({
    description: str,
    env: record(obj({ var: str, default: str })),
    baseline: obj(
      { model: str, what: str, model_options: map, results_name: str, how: str },
      ["model_options", "how"],
    ),
    sets: list(set),
    baseline_sets: list(set),
    reproduce_config: str,
    kface_config: str,
    second_set: obj({ label: str, note: str }),
    requires: list(obj({ path: str, how: str, notebooks: list(notebook) }, ["notebooks"])),
  }, ["env", "baseline_sets", "requires"])(doc, "");
  return doc as ProfileFile;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}
