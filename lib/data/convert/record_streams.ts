/**
 * Record streams the writer consumes: images read concurrently (in a bounded window, results
 * in order) and turned into records; interleaving of several streams in a seeded random order.
 *
 * @module
 */
import { BadImageError, type SkippedFile } from "./errors.ts";
import { type ImageRecordOptions, makeImageRecord } from "./image_record.ts";
import { mapOrdered } from "./ordered_pool.ts";
import type { PlannedImage } from "./plan.ts";
import { mulberry32 } from "../../random/seeded_rng.ts";

/** One step of a stream: a record with its label, or a skipped file. */
export type RecordStreamItem =
  | { record: Uint8Array; label: number; imageBytes: number }
  | { skipped: SkippedFile; label: number };

/** A stream of records with its planned length (used for progress and interleaving). */
export interface RecordStream {
  /** Planned number of items. */
  total: number;
  /** The items. */
  items: AsyncIterable<RecordStreamItem>;
}

/** Options of {@linkcode imageRecordStream}. */
export interface ImageStreamOptions extends ImageRecordOptions {
  /** Bad images become skipped items instead of errors (default false). */
  skipBad?: boolean;
  /** Files read at once (default 8; 32 with verifyDecode false). */
  concurrency?: number;
}

/** Reads and encodes `items` (in their order) with a window of concurrent reads. */
export function imageRecordStream(
  items: readonly PlannedImage[],
  options: ImageStreamOptions,
): RecordStream {
  const concurrency = options.concurrency ?? (options.verifyDecode === false ? 32 : 8);
  async function* gen(): AsyncGenerator<RecordStreamItem> {
    let i = 0;
    for await (
      const r of mapOrdered(items, (it) => makeImageRecord(it, options), { concurrency })
    ) {
      const item = items[i++];
      if (r.ok) yield { ...r.value, label: item.label };
      else if (options.skipBad && r.error instanceof BadImageError) {
        yield { skipped: { file: item.path, reason: r.error.reason }, label: item.label };
      } else throw r.error;
    }
  }
  return { total: items.length, items: gen() };
}

/**
 * Interleaves `streams` in a seeded random order: at each step a stream is drawn with
 * probability proportional to its remaining planned items, which gives a uniformly random
 * interleaving while each stream keeps its own order.
 */
export async function* interleaveStreams(
  streams: readonly RecordStream[],
  seed: number,
): AsyncGenerator<RecordStreamItem> {
  if (streams.length === 1) {
    yield* streams[0].items;
    return;
  }
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const its = streams.map((s) => s.items[Symbol.asyncIterator]());
  const remaining = streams.map((s) => Math.max(1, s.total));
  const live = streams.map(() => true);
  for (;;) {
    let sum = 0;
    for (let k = 0; k < its.length; k++) if (live[k]) sum += remaining[k];
    if (sum === 0) return;
    let pick = rand() * sum, k = 0;
    for (; k < its.length; k++) {
      if (!live[k]) continue;
      if (pick < remaining[k]) break;
      pick -= remaining[k];
    }
    if (k === its.length) k = live.lastIndexOf(true);
    const r = await its[k].next();
    if (r.done) {
      live[k] = false;
      remaining[k] = 0;
      continue;
    }
    remaining[k] = Math.max(1, remaining[k] - 1); // keep a stream live until it ends
    yield r.value;
  }
}
