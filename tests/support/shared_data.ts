/**
 * Test helper: where the shared real data sets are (LFW 112x112, AT&T faces), found through the
 * repository's data root ({@linkcode defaultDataRoot}: `ARCFACE_DATA_ROOT`, else `../shared/data`
 * beside the checkout), never through a path of one machine. The one place tests ask this.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultDataRoot, requireDataRoot } from "../../lib/data/data_root.ts";

function sharedDir(...parts: string[]): string | undefined {
  const root = defaultDataRoot();
  if (!root) return undefined;
  const dir = join(root, ...parts);
  try {
    return Deno.statSync(dir).isDirectory ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The shared LFW 112x112 folder (with `pairs.txt`), or undefined when this machine lacks it. */
export function lfwRoot(): string | undefined {
  const lfw = sharedDir("lfw_112x112");
  return lfw && existsSync(join(lfw, "pairs.txt")) ? lfw : undefined;
}

/** The LFW images folder (`<identity>/<file>.jpg`), or undefined when the shared data is missing. */
export function lfwImagesDir(): string | undefined {
  return sharedDir("lfw_112x112", "images");
}

/**
 * The LFW images folder; throws a `DataRootError` saying how to point at the data when it is
 * missing (for tests that cannot run without it).
 */
export function requireLfwImagesDir(): string {
  return requireDataRoot(join("lfw_112x112", "images"));
}

/** The AT&T faces folder, or undefined when the shared data is missing. */
export function attDir(): string | undefined {
  return sharedDir("att_faces");
}

/**
 * The collapsed MobileFaceNet fixture (`models/collapsed_mobilefacenet/mobilefacenet.json`
 * beside the data root), or undefined when this machine lacks it.
 */
export function collapsedModelJson(): string | undefined {
  const dir = sharedDir("..", "models", "collapsed_mobilefacenet");
  const json = dir ? join(dir, "mobilefacenet.json") : undefined;
  return json && existsSync(json) ? json : undefined;
}

/**
 * The TensorFlow-written DS-CNN fixture (`fixtures/tf_checkpoint/kws_ref_model/` beside the data
 * root: a Keras-2 SavedModel and its float32 `.tflite`, see its SOURCE.md), or undefined when this
 * machine lacks it.
 */
export function tfCheckpointFixtureDir(): string | undefined {
  const dir = sharedDir("..", "fixtures", "tf_checkpoint", "kws_ref_model");
  return dir && existsSync(join(dir, "variables", "variables.index")) ? dir : undefined;
}
