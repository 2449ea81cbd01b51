/**
 * Test helper: a TensorFlow Lite interpreter under Deno, to check a network rebuilt here against
 * the `.tflite` TensorFlow's converter wrote for the same trained model (the DS-CNN fixture of
 * `tests/tf_checkpoint_tflite_test.ts`).
 *
 * The interpreter is `@tensorflow/tfjs-tflite` (TFLite's C++ runtime compiled to wasm, pinned in
 * package.json). It is written for browsers and web workers; three shims, set only while a model
 * loads and restored afterwards, make its loader run under Deno:
 * - Deno has no `window`, so the loader takes the web-worker path and loads its emscripten glue
 *   with `importScripts(url)`: here that evaluates the glue file from the package's `wasm/`
 *   folder (and nothing else) as a classic script.
 * - That path builds the glue's URL from `self.location`, which Deno lacks without `--location`:
 *   a `file://` origin makes the URL `file:///.../wasm/tflite_web_api_cc_simd.js`; the glue then
 *   `fetch`es the `.wasm` beside it, which Deno serves from `file://` URLs.
 * - The multi-threaded build starts classic (non-module) pthread workers, which Deno refuses
 *   ("Classic workers are not supported"): the feature probe is made to answer "no threads"
 *   (it posts a SharedArrayBuffer through a MessageChannel; without one it answers false), so the
 *   single-threaded SIMD build loads.
 *
 * The package is imported inside that window (dynamically, once per process): on import it
 * starts preloading the glue from an empty wasm path, which needs the shims too (the shim refuses
 * that path and the loader gives up on it quietly) and must not cache "threads available".
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type * as tflite from "@tensorflow/tfjs-tflite";
import { fileURLToPath } from "node:url";

/** Raised when the interpreter or a `.tflite` model cannot be loaded. */
export class TfliteLoadError extends Error {
  override name = "TfliteLoadError";
}

/** The package's folder of wasm builds and their emscripten glue (`tflite_web_api_cc*.js`). */
export function tfliteWasmDir(): string {
  // main is dist/tf-tflite.node.js; the wasm builds are in ../wasm/
  return fileURLToPath(new URL("../wasm/", import.meta.resolve("@tensorflow/tfjs-tflite")));
}

// deno-lint-ignore no-explicit-any
type Globals = Record<string, any>;

async function withLoaderShims<T>(wasmDir: string, body: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as Globals;
  const saved = {
    importScripts: Object.getOwnPropertyDescriptor(g, "importScripts"),
    location: Object.getOwnPropertyDescriptor(g, "location"),
    MessageChannel: Object.getOwnPropertyDescriptor(g, "MessageChannel"),
  };
  g.importScripts = (url: string) => {
    const path = url.startsWith("file://") ? fileURLToPath(url) : url;
    if (!path.startsWith(wasmDir)) {
      // The loader also probes a glue URL built before setWasmPath applies; it catches this.
      throw new TfliteLoadError(`tflite shim: refusing to load ${url} (not under ${wasmDir})`);
    }
    (0, eval)(Deno.readTextFileSync(path));
  };
  Object.defineProperty(g, "location", {
    value: { origin: "file://", href: "file:///" },
    configurable: true,
    writable: true,
  });
  Object.defineProperty(g, "MessageChannel", {
    value: undefined,
    configurable: true,
    writable: true,
  });
  try {
    const result = await body();
    // Let the package's import-time preload (same promise depth as ours, started earlier) settle
    // while the shims still stand.
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
    return result;
  } finally {
    for (const [name, desc] of Object.entries(saved)) {
      if (desc) Object.defineProperty(g, name, desc);
      else delete g[name];
    }
  }
}

/** Options of {@linkcode loadTfliteFile}. */
export interface LoadTfliteOptions {
  /** Interpreter threads (default 1; the build loaded here is single-threaded anyway). */
  numThreads?: number;
}

/**
 * Loads a `.tflite` file into TFLite's wasm interpreter.
 *
 * @throws {TfliteLoadError} when the file or the interpreter's wasm files are missing, or the
 *   interpreter does not start
 */
export async function loadTfliteFile(
  path: string,
  options: LoadTfliteOptions = {},
): Promise<tflite.TFLiteModel> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new TfliteLoadError(`cannot read the TFLite model ${path}: ${(e as Error).message}`);
  }
  const wasmDir = tfliteWasmDir();
  const glue = `${wasmDir}tflite_web_api_cc_simd.js`;
  try {
    Deno.statSync(glue);
  } catch {
    throw new TfliteLoadError(
      `TFLite interpreter files missing: ${glue} does not exist; run 'npm ci' so that ` +
        `@tensorflow/tfjs-tflite (package.json) is installed with its wasm/ folder.`,
    );
  }
  return await withLoaderShims(wasmDir, async () => {
    const tflite = await import("@tensorflow/tfjs-tflite");
    tflite.setWasmPath(wasmDir);
    const features = await tflite.getWasmFeatures();
    if (features.multiThreading) {
      throw new TfliteLoadError(
        "tflite shim: the interpreter chose its multi-threaded build, whose classic workers " +
          "Deno cannot start; the feature probe was not disabled.",
      );
    }
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    try {
      return await tflite.loadTFLiteModel(buffer as ArrayBuffer, {
        numThreads: options.numThreads ?? 1,
      });
    } catch (e) {
      throw new TfliteLoadError(
        `TFLite interpreter could not load ${path}: ${(e as Error)?.message ?? String(e)}`,
      );
    }
  });
}

/**
 * Runs a single-input, single-output TFLite model on `input` (its input shape, batch included)
 * and returns a copy of the output's values. The interpreter copies `input`; the caller keeps it.
 *
 * The copy matters: the tensor the package returns is backed by the interpreter's own output
 * buffer in wasm memory, so its values change on the next `predict` (keeping two results without
 * a copy made every kept result equal to the last one).
 */
export async function runTflite(
  model: tflite.TFLiteModel,
  input: tf.Tensor,
): Promise<Float32Array> {
  const out = model.predict(input) as tf.Tensor;
  try {
    return Float32Array.from(await out.data() as Float32Array);
  } finally {
    out.dispose();
  }
}
