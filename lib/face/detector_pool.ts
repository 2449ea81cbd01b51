/**
 * Face detection over many files on a pool of Workers (`lib/workers/worker_rpc.ts`), each with
 * its own backend instance (wasm: one core each) and detector. Files are decoded inside the
 * workers; results come back in input order, one entry per input; a file that cannot be read or
 * decoded gets an entry with `error` (never dropped).
 *
 * @module
 */
import { WorkerClient } from "../workers/worker_rpc.ts";
import {
  type DetectedFace,
  type DetectOptions,
  type DetectorKind,
  FaceDetectionError,
} from "./face_types.ts";

/** Options of {@linkcode createDetectorPool}. */
export interface DetectorPoolOptions {
  /** Worker count (default: hardware concurrency, at most 8). */
  workers?: number;
  /** "ssd" (default) or "tiny". */
  detector?: DetectorKind;
  /** Backend name for `setupBackend` in each worker (default: its `auto`/ARCFACE_BACKEND). */
  backend?: string;
}

/** Options of {@linkcode DetectorPool.detectFiles}. */
export interface DetectFilesOptions extends DetectOptions {
  /** Called after each file with (files done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Detect once more on a padded copy when a file gives no face, or `"always"` (merged;
   * twice the time): see pad_retry.ts. */
  padRetry?: boolean | "always";
}

/** One file's result. */
export interface FileDetection {
  /** The path as given. */
  path: string;
  /** Faces, largest first (empty when none or on error). */
  faces: DetectedFace[];
  /** Decoded width (0 when it did not decode). */
  width: number;
  /** Decoded height (0 when it did not decode). */
  height: number;
  /** True when the faces came from the padded retry (`padRetry`). */
  padded?: boolean;
  /** Why the file gave no result (unreadable, not an image, ...). */
  error?: string;
}

/** A running pool. */
export interface DetectorPool {
  /** Detects faces in every file; results in input order. */
  detectFiles(paths: string[], options?: DetectFilesOptions): Promise<FileDetection[]>;
  /** Terminates the workers. */
  close(): Promise<void>;
}

/** Starts `workers` detector Workers and loads the detector in each. */
export async function createDetectorPool(
  options: DetectorPoolOptions = {},
): Promise<DetectorPool> {
  const n = Math.max(1, Math.min(options.workers ?? (navigator.hardwareConcurrency || 2), 8));
  const url = new URL("./detector_worker.ts", import.meta.url);
  const clients = Array.from({ length: n }, () =>
    new WorkerClient(url, {
      toError: (p) => new FaceDetectionError(p.message),
      crashError: (m) => new FaceDetectionError(`face detector worker crashed: ${m}`),
    }));
  const closeAll = () => clients.forEach((c) => c.terminate(new FaceDetectionError("pool closed")));
  try {
    await Promise.all(
      clients.map((c) => c.call("init", { detector: options.detector, backend: options.backend })),
    );
  } catch (e) {
    closeAll();
    throw e;
  }
  return {
    async detectFiles(paths: string[], opts: DetectFilesOptions = {}): Promise<FileDetection[]> {
      const { onProgress, padRetry, ...detectOptions } = opts;
      const results: FileDetection[] = new Array(paths.length);
      let next = 0, done = 0;
      const run = async (c: WorkerClient) => {
        while (next < paths.length) {
          const i = next++;
          const r = await c.call<Omit<FileDetection, "path">>("detect", {
            path: paths[i],
            options: detectOptions,
            padRetry,
          });
          results[i] = { path: paths[i], ...r };
          onProgress?.(++done, paths.length);
        }
      };
      await Promise.all(clients.map(run));
      return results;
    },
    close(): Promise<void> {
      closeAll();
      return Promise.resolve();
    },
  };
}
