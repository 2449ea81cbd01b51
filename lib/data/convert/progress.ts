/**
 * Progress reports of the converters, a throttled reporter, and a one-line text bar that
 * CLIs print (the library itself never prints).
 *
 * @module
 */

/** One progress report. */
export interface ConvertProgress {
  /** Records written or skipped so far. */
  done: number;
  /** Records planned. */
  total: number;
  /** Bytes written so far (framing included). */
  bytes: number;
  /** Files skipped so far. */
  skipped: number;
  /** Seconds since writing started. */
  elapsedSec: number;
  /** Average rate so far. */
  imagesPerSec: number;
  /** Estimated seconds left at that rate. */
  etaSec: number;
}

/** Callback receiving progress reports. */
export type ProgressCallback = (p: ConvertProgress) => void;

/** A throttled progress reporter: `tick()` per record, `finish()` once at the end. */
export interface ProgressReporter {
  /** Counts one record (written or skipped) and reports at most every `intervalMs`. */
  tick(bytes: number, skipped: boolean): void;
  /** Reports the final state. */
  finish(): ConvertProgress;
}

/** Creates a reporter for `total` records calling `onProgress` (may be undefined). */
export function createProgressReporter(
  total: number,
  onProgress: ProgressCallback | undefined,
  options: { intervalMs?: number } = {},
): ProgressReporter {
  const interval = options.intervalMs ?? 200;
  const t0 = performance.now();
  let done = 0, bytes = 0, skipped = 0, last = -Infinity;
  const snapshot = (): ConvertProgress => {
    const elapsedSec = (performance.now() - t0) / 1000;
    const imagesPerSec = elapsedSec > 0 ? done / elapsedSec : 0;
    const etaSec = imagesPerSec > 0 ? Math.max(0, total - done) / imagesPerSec : 0;
    return { done, total, bytes, skipped, elapsedSec, imagesPerSec, etaSec };
  };
  return {
    tick(b: number, s: boolean) {
      done++;
      bytes += b;
      if (s) skipped++;
      if (!onProgress) return;
      const now = performance.now();
      if (now - last >= interval) {
        last = now;
        onProgress(snapshot());
      }
    },
    finish() {
      const p = snapshot();
      onProgress?.(p);
      return p;
    },
  };
}

const fmtTime = (s: number) => {
  if (!Number.isFinite(s)) return "--:--";
  const t = Math.round(s), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
};

/** Formats a report as a one-line bar, e.g. `[#####.....] 50% 6616/13233 2,345 img/s ETA 0:03`. */
export function formatProgressBar(p: ConvertProgress, width = 30): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const fill = Math.round(frac * width);
  const mb = (p.bytes / 2 ** 20).toFixed(1);
  return `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${
    (frac * 100).toFixed(0).padStart(3)
  }% ` +
    `${p.done}/${p.total} ${Math.round(p.imagesPerSec).toLocaleString("en-US")} img/s ` +
    `${mb} MiB ETA ${fmtTime(p.etaSec)}${p.skipped ? ` skipped ${p.skipped}` : ""}`;
}
