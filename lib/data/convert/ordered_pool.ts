/**
 * Runs an async function over items with a bounded number in flight and yields the results
 * in input order (memory stays bounded by the window).
 *
 * @module
 */

/** Outcome of one item: its value, or the error it threw. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Yields `fn(items[i])` settled, in order, with at most `concurrency` calls pending. */
export async function* mapOrdered<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: { concurrency: number },
): AsyncGenerator<Settled<R>> {
  const window = Math.max(1, options.concurrency);
  const pending: Promise<Settled<R>>[] = [];
  let started = 0;
  const start = (i: number) =>
    fn(items[i], i).then(
      (value): Settled<R> => ({ ok: true, value }),
      (error): Settled<R> => ({ ok: false, error }),
    );
  for (let i = 0; i < items.length; i++) {
    while (started < items.length && started < i + window) pending.push(start(started++));
    yield await pending.shift()!;
  }
}
