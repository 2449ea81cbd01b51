/**
 * Notebook profiles: what each notebook runs where. `demo` runs on this machine's data
 * (`../shared/data`), `paper` on the user's MS1M / K-Face / AgeDB-30 / CFP-FP files on a GPU
 * machine, `tiny` is the demo cut to a few minutes for CI. A profile whose data or model is
 * missing stops at the notebook's first cell, saying what is missing and how to get it.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultDataRoot, repoRoot } from "../../data/data_root.ts";

/** The profile names. */
export const PROFILE_NAMES = ["demo", "paper", "tiny"] as const;

/** A profile name. */
export type ProfileName = typeof PROFILE_NAMES[number];

/** Raised when a profile is unknown or its data / model is missing. */
export class ProfileError extends Error {
  override name = "ProfileError";
}

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

function need(missing: string[], path: string, how: string): string {
  if (!existsSync(path)) missing.push(`${path} — ${how}`);
  return path;
}

/**
 * Resolves a profile and checks that what it needs exists.
 *
 * @throws {ProfileError} naming every missing data set or model and how to get it.
 */
export function loadProfile(name: string): NotebookProfile {
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new ProfileError(
      `unknown profile '${name}': use one of ${PROFILE_NAMES.join(", ")} (set ARCFACE_PROFILE)`,
    );
  }
  const root = repoRoot();
  const missing: string[] = [];
  const cfg = (f: string) => join(root, "configs", f);
  const notebooksDir = join(root, "results", "notebooks", name);
  if (name === "paper") {
    const test = Deno.env.get("ARCFACE_TEST_DATASET") ?? join(root, "data");
    const model = Deno.env.get("ARCFACE_BASELINE_MODEL") ??
      join(root, "data", "models", "arc_res50", "model.json");
    const bin = (f: string) =>
      need(
        missing,
        join(test, f),
        `insightface verification set; set ARCFACE_TEST_DATASET to its folder`,
      );
    const sets: ProfileSet[] = [
      { label: "LFW", logKey: "lfw", spec: bin("lfw.bin") },
      { label: "AgeDB-30", logKey: "agedb_30", spec: bin("agedb_30.bin") },
      { label: "CFP-FP", logKey: "cfp_fp", spec: bin("cfp_fp.bin") },
    ];
    need(
      missing,
      model,
      "arcface-tf2's pretrained ResNet50 converted to TF.js " +
        "(tensorflowjs_converter --input_format=keras_saved_model <saved_model> <dir>); or set ARCFACE_BASELINE_MODEL",
    );
    for (const f of ["ms1m_bin.tfrecord", "ms1m_kface_bin.tfrecord"]) {
      need(
        missing,
        join(root, "data", f),
        "convert MS1M (deno task convert) and merge K-Face (deno task merge), docs/data.md",
      );
    }
    if (missing.length > 0) throw missingError(name, missing);
    return {
      name,
      description:
        "the user's MS1M / K-Face training and AgeDB-30 / CFP-FP / LFW .bin sets, on a GPU machine",
      root,
      baseline: {
        model,
        what: "arcface-tf2's pretrained ResNet50 (converted to TF.js)",
        resultsName: "paper_baseline",
      },
      sets,
      baselineSets: sets,
      reproduceConfig: need(missing, cfg("arc_res50.yaml"), "restore configs/ from git"),
      kfaceConfig: need(missing, cfg("arc_res50_kface.yaml"), "restore configs/ from git"),
      secondSet: { label: "K-Face", note: "AI Hub K-Face (400 Korean identities)" },
      notebooksDir,
    };
  }
  const data = defaultDataRoot();
  if (!data) {
    throw missingError(name, [
      "../shared/data (or $ARCFACE_DATA_ROOT) — the folder holding lfw_112x112/ and att_faces/",
    ]);
  }
  need(
    missing,
    join(data, "lfw_112x112", "pairs.txt"),
    "LFW 112x112 with its pairs files, under the data root",
  );
  need(missing, join(data, "att_faces"), "the AT&T faces (40 people), under the data root");
  if (missing.length > 0) throw missingError(name, missing);
  const tiny = name === "tiny";
  const view1: ProfileSet = {
    label: "LFW View 1 (pairsDevTest, 1,000 pairs)",
    logKey: "lfw",
    spec: "lfw-view1",
  };
  return {
    name: name as ProfileName,
    description: tiny
      ? "the demo cut to a few minutes (CI): same data and code, far fewer steps"
      : "this machine (2 cores, wasm): LFW and the AT&T faces from ../shared/data",
    root,
    baseline: {
      model: "face-api",
      what: "face-api's recognition net (dlib ResNet-34, 128-d), the pretrained model that ships " +
        "in the npm package @vladmandic/face-api: arcface-tf2's weights cannot be downloaded here",
      resultsName: `${name}_baseline`,
    },
    // Trained models are scored on pairsDevTest, whose people are disjoint from the
    // peopleDevTrain people they train on (View 2's pairs.txt covers every LFW person).
    sets: [view1],
    baselineSets: tiny
      ? [view1]
      : [view1, { label: "LFW View 2 (pairs.txt, 6,000 pairs)", logKey: "lfw", spec: "lfw" }],
    reproduceConfig: cfg(`nb_${name}_reproduce.yaml`),
    kfaceConfig: cfg(`nb_${name}_kface.yaml`),
    secondSet: {
      label: "AT&T faces",
      note: "K-Face is not available here: the AT&T faces (40 people, 400 grayscale images, " +
        "another domain) stand in for it. This is NOT K-Face.",
    },
    notebooksDir,
  };
}

function missingError(name: string, missing: string[]): ProfileError {
  return new ProfileError(
    `profile '${name}' cannot run here; missing:\n` + missing.map((m) => `  - ${m}`).join("\n"),
  );
}
