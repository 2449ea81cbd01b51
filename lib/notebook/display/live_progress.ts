/**
 * One progress display per long notebook cell, updated in place: the first line shown is a
 * Jupyter `display_data` carrying a `display_id`, every later state an `update_display_data`
 * for that id (what tqdm's notebook bar does), so the live notebook shows a few lines that
 * change instead of dozens of printed ones, and the executed notebook (whose runner applies the
 * updates to the output they target) keeps only the final state. Every line also goes to a log
 * file (the full history, for whoever wants it), whose path the final state names.
 *
 * Written here rather than taken from npm: the Deno kernel's `Deno.jupyter.display(bundle,
 * { raw, display_id, update })` is the whole protocol side; what is left (keyed lines, a
 * throttle, a log file) is smaller than an adapter to a progress-bar library would be.
 *
 * @module
 */
import { dirname, isAbsolute, relative } from "node:path";
import { repoRoot } from "../../io/repo_root.ts";

/** The options of the Deno kernel's `Deno.jupyter.display`. */
export interface JupyterDisplayOptions {
  /** The object is a MIME bundle already. */
  raw?: boolean;
  /** Send `update_display_data` (replace the output with this `display_id`). */
  update?: boolean;
  /** Ties the output to later updates. */
  display_id?: string;
}

/** Where a progress display goes: `Deno.jupyter` in a notebook, a fake in tests. */
export interface DisplayTarget {
  /** Publishes `obj` (a MIME bundle with `raw: true`). */
  display(obj: unknown, options?: JupyterDisplayOptions): Promise<void>;
}

/** Warnings shown one per line; later ones are counted (see {@linkcode LiveProgress.warn}). */
export const SHOWN_WARNINGS = 3;

/** Options of {@linkcode LiveProgress}. */
export interface LiveProgressOptions {
  /** The full log (one line per state, with seconds since the start); appended to. */
  logPath?: string;
  /** How the final line names the log (default: `logPath`, relative to the repository root
   * when inside it, so a published report shows no machine's folders). */
  logLabel?: string;
  /** At most one in-place update per this many milliseconds (default 1000; the last state is
   * always shown, after the interval at the latest). */
  intervalMs?: number;
  /** The display id (default: a random one). */
  displayId?: string;
}

/**
 * A few keyed lines (e.g. one per set, one for the current step) shown as one display that is
 * updated in place; see the module comment. Call {@linkcode LiveProgress.finish} at the end.
 */
export class LiveProgress {
  /** The Jupyter display id of this progress display. */
  readonly displayId: string;
  /** The full log's path, if any. */
  readonly logPath: string | undefined;
  readonly #target: DisplayTarget | undefined;
  readonly #intervalMs: number;
  readonly #logLabel: string | undefined;
  readonly #lines = new Map<string, string>();
  readonly #started = performance.now();
  #shown = false;
  #lastShown = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #displays: Promise<void> = Promise.resolve();
  #logLines: string[] = [];
  #logWrite: Promise<void> = Promise.resolve();
  #logOpened = false;
  #error: unknown = undefined;
  #finished = false;
  #messages = 0;
  #warnings = 0;

  /** A display on `target` (nothing is shown without one; the log is still written). */
  constructor(target: DisplayTarget | undefined, options: LiveProgressOptions = {}) {
    this.#target = target;
    this.displayId = options.displayId ?? `arcface-progress-${crypto.randomUUID()}`;
    this.logPath = options.logPath;
    this.#logLabel = options.logLabel ?? (options.logPath && repoRelative(options.logPath));
    this.#intervalMs = options.intervalMs ?? 1000;
  }

  /** How many display messages were sent (the first `display_data` and its updates). */
  get messages(): number {
    return this.#messages;
  }

  /** The lines shown now. */
  get lines(): string[] {
    return [...this.#lines.values()];
  }

  /** Sets the line `key` (new keys go below the others) and logs it; shown within the interval. */
  set(key: string, text: string): void {
    this.#lines.set(key, text);
    this.log(text);
    this.#schedule();
  }

  /**
   * A warning: its own line for the first {@linkcode SHOWN_WARNINGS}, then one line counting the
   * rest (every warning is in the log), so a stream of warnings cannot become the spam again.
   */
  warn(message: string): void {
    const n = ++this.#warnings;
    if (n <= SHOWN_WARNINGS) return this.set(`warning ${n}`, `warning: ${message}`);
    this.log(`warning: ${message}`);
    this.set("warnings", `... and ${n - SHOWN_WARNINGS} more warning(s), in the log`);
  }

  /** Removes the line `key` from the display. */
  delete(key: string): void {
    if (this.#lines.delete(key)) this.#schedule();
  }

  /** A line for the log file only. */
  log(text: string): void {
    if (!this.logPath || this.#finished) return;
    const sec = ((performance.now() - this.#started) / 1000).toFixed(1);
    this.#logLines.push(`[+${sec}s] ${text}\n`);
  }

  /**
   * Shows the final state (the current lines, the last naming the log file), writes the log
   * and resolves when every message is out; rethrows the first display or log error.
   */
  async finish(): Promise<void> {
    if (this.#finished) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushLog();
    this.#finished = true;
    if (this.#lines.size > 0) this.#show(this.#finalText());
    await this.#displays;
    await this.#logWrite;
    if (this.#error !== undefined) throw this.#error;
  }

  #finalText(): string {
    const lines = this.lines;
    if (this.#logLabel) lines[lines.length - 1] += ` (full log: ${this.#logLabel})`;
    return lines.join("\n");
  }

  #schedule(): void {
    if (this.#finished || this.#timer !== undefined) return;
    const wait = this.#lastShown + this.#intervalMs - performance.now();
    if (wait <= 0) return this.#showNow();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#showNow();
    }, wait);
  }

  #showNow(): void {
    this.#flushLog();
    this.#show(this.lines.join("\n"));
  }

  #show(text: string): void {
    this.#lastShown = performance.now();
    const target = this.#target;
    if (!target) return;
    const update = this.#shown;
    this.#shown = true;
    this.#messages++;
    // In order: an update must never overtake the display_data that creates the output.
    this.#displays = this.#displays.then(() =>
      target.display({ "text/plain": text }, { raw: true, display_id: this.displayId, update })
    ).catch((e) => {
      this.#error ??= e;
    });
  }

  #flushLog(): void {
    const path = this.logPath;
    if (!path || this.#logLines.length === 0) return;
    const chunk = this.#logLines.join("");
    this.#logLines = [];
    const first = !this.#logOpened;
    this.#logOpened = true;
    this.#logWrite = this.#logWrite.then(async () => {
      if (first) {
        await Deno.mkdir(dirname(path), { recursive: true });
        const header = `--- ${new Date().toISOString()}\n`;
        await Deno.writeTextFile(path, header, { append: true });
      }
      await Deno.writeTextFile(path, chunk, { append: true });
    }).catch((e) => {
      this.#error ??= e;
    });
  }
}

/** `path` relative to the repository root when inside it (shown in reports), else unchanged. */
export function repoRelative(path: string): string {
  const rel = relative(repoRoot(), path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
