/**
 * The training speed shown in progress lines and metrics.jsonl: images per second of training
 * time only. Periodic evaluations and checkpoint saves are pauses that are left out of the
 * rate (counting them once read `1.3 img/s ... ETA 47m38s` right after an evaluation, and
 * `12.1 img/s, ETA 4m40s` one line later); their expected time is added to the ETA instead.
 *
 * @module
 */

/** Milliseconds from some fixed origin (default `performance.now`; tests pass a fake clock). */
export type Clock = () => number;

/** Images per second over training time between two {@linkcode TrainRate.take} calls. */
export class TrainRate {
  readonly #clock: Clock;
  #since: number;
  #images = 0;
  #pausedMs = 0;

  /** Starts measuring now. */
  constructor(clock: Clock = () => performance.now()) {
    this.#clock = clock;
    this.#since = clock();
  }

  /** Counts images trained on. */
  add(images: number): void {
    this.#images += images;
  }

  /** Runs `work` (an evaluation, a checkpoint save) without counting its time as training. */
  async pause<T>(work: () => Promise<T>): Promise<T> {
    const t = this.#clock();
    try {
      return await work();
    } finally {
      this.#pausedMs += this.#clock() - t;
    }
  }

  /** Images per second since the last call (training time only), then starts a new interval. */
  take(): number {
    const now = this.#clock();
    const sec = Math.max(0, now - this.#since - this.#pausedMs) / 1000;
    const rate = sec > 0 ? this.#images / sec : NaN;
    this.#since = now;
    this.#images = 0;
    this.#pausedMs = 0;
    return rate;
  }
}

/** Options of {@linkcode etaSeconds}. */
export interface EtaOptions {
  /** Periodic evaluations still to come (the final one included). */
  evalsLeft?: number;
  /** Seconds one evaluation took last time (unknown: not added). */
  evalSec?: number;
}

/** Seconds left: the images of the steps left at `imagesPerSec`, plus the evaluations left. */
export function etaSeconds(
  imagesLeft: number,
  imagesPerSec: number,
  options: EtaOptions = {},
): number {
  const evals = (options.evalsLeft ?? 0) * (options.evalSec ?? 0);
  return imagesLeft / imagesPerSec + evals;
}
