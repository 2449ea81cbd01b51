/**
 * `metrics.jsonl`: one JSON object per line (training steps, evaluations, events), appended
 * as training goes; on resume, lines past the checkpoint's step are dropped so the log
 * continues exactly where the checkpoint was taken.
 *
 * @module
 */
import { dirname } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";

/** An append-only JSON-lines file. */
export class MetricsLog {
  readonly #file: Deno.FsFile;
  readonly #enc = new TextEncoder();
  /** The file's path. */
  readonly path: string;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
  }

  /**
   * Opens `path` for appending. `keepUpToStep`: keep only lines whose `step` is at most this
   * (resume); `undefined`: start a new, empty log.
   */
  static async open(path: string, keepUpToStep?: number): Promise<MetricsLog> {
    await Deno.mkdir(dirname(path), { recursive: true });
    let kept = "";
    if (keepUpToStep !== undefined) {
      try {
        const lines = (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim() !== "");
        kept = lines.filter((l) => {
          try {
            const step = JSON.parse(l).step;
            return typeof step !== "number" || step <= keepUpToStep;
          } catch {
            return false; // a line cut by a crash
          }
        }).map((l) => l + "\n").join("");
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    await writeFileAtomic(path, kept);
    const file = await Deno.open(path, { append: true });
    return new MetricsLog(path, file);
  }

  /** Appends one record as a line (written through at once: nothing lost on a crash). */
  async write(record: Record<string, unknown>): Promise<void> {
    await this.#file.write(this.#enc.encode(JSON.stringify(record) + "\n"));
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}

/** Reads a metrics.jsonl into records (skipping a last line cut by a crash). */
export async function readMetrics(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // an incomplete last line
    }
  }
  return out;
}
