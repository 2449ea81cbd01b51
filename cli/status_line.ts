/**
 * One status line on stderr for long CLI work: redrawn in place on a terminal (at most every
 * 200 ms), a plain line every few seconds otherwise (CI logs, notebooks' subprocesses).
 *
 * @module
 */

/** Options of {@linkcode createStatusLine}. */
export interface StatusLineOptions {
  /** Seconds between plain lines when stderr is not a terminal (default 5). */
  logEverySec?: number;
  /** Force terminal (true) or log (false) mode; default: `Deno.stderr.isTerminal()`. */
  tty?: boolean;
}

/** A status line: `update` shows progress, `done` clears it (terminal) before results print. */
export interface StatusLine {
  /** Shows `line`; `force` draws it even inside the throttle window (use for the last one). */
  update(line: string, force?: boolean): void;
  /** Clears the in-place line. */
  done(): void;
}

/** Creates a throttled status line on stderr. */
export function createStatusLine(options: StatusLineOptions = {}): StatusLine {
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const every = (tty ? 0.2 : options.logEverySec ?? 5) * 1000;
  const enc = new TextEncoder();
  let last = -Infinity;
  return {
    update(line, force = false) {
      const now = performance.now();
      if (!force && now - last < every) return;
      last = now;
      Deno.stderr.writeSync(enc.encode(tty ? `\r${line}\x1b[K` : `${line}\n`));
    },
    done() {
      if (tty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
    },
  };
}
