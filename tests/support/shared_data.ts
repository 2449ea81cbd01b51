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
 * A folder of the shared fixtures (`fixtures/<name>` beside the data root: `tf_checkpoint`,
 * `arcface_tf2_checkpoint`, `tfrecord`), or undefined when this machine lacks it.
 */
export function sharedFixtureDir(name: string): string | undefined {
  return sharedDir("..", "fixtures", name);
}

/** The TensorFlow-written Keras-2 SavedModel fixture (DS-CNN, `variables/` with Adam slots). */
export function kwsSavedModelDir(): string | undefined {
  const dir = sharedDir("..", "fixtures", "tf_checkpoint", "kws_ref_model");
  return dir && existsSync(join(dir, "variables", "variables.index")) ? dir : undefined;
}

/**
 * arcface-tf2's released checkpoint prefix (`released_arc_res50/e_8_b_40000.ckpt`: index + shard
 * 0 of 2, the weights' shard 1 absent), or undefined when the fixture is missing.
 */
export function arcfaceReleasedCkpt(): string | undefined {
  const dir = sharedDir("..", "fixtures", "arcface_tf2_checkpoint", "released_arc_res50");
  const prefix = dir ? join(dir, "e_8_b_40000.ckpt") : undefined;
  return prefix && existsSync(`${prefix}.index`) ? prefix : undefined;
}

/**
 * The research log's section-1 run checkpoint prefix (`section1_run/e_3_b_36247.ckpt`: index
 * only, momentum slots), or undefined when the fixture is missing.
 */
export function arcfaceSection1Ckpt(): string | undefined {
  const dir = sharedDir("..", "fixtures", "arcface_tf2_checkpoint", "section1_run");
  const prefix = dir ? join(dir, "e_3_b_36247.ckpt") : undefined;
  return prefix && existsSync(`${prefix}.index`) ? prefix : undefined;
}
