/**
 * The ordered stream of raw examples: shards (shuffled per epoch) -> records -> seeded shuffle
 * buffer, repeated for the requested epochs, starting at a saved position. Only record bytes
 * move here; decoding happens in the workers.
 *
 * @module
 */
import { readTFRecords } from "../tfrecord/mod.ts";
import { createRng, deriveSeed } from "../../random/seeded_rng.ts";

/** One raw example and where it sits in the run. */
export interface StreamItem {
  /** 0-based epoch. */
  epoch: number;
  /** Position of this example in the epoch's shuffled order. */
  index: number;
  /** TFRecord file. */
  file: string;
  /** 0-based record index in `file`. */
  recordIndex: number;
  /** Record payload (a serialized tf.train.Example). */
  record: Uint8Array;
}

/** Options of {@linkcode exampleStream}. */
export interface ExampleStreamOptions {
  /** Run seed. */
  seed: number;
  /** Epochs to run (Infinity: forever). */
  epochs: number;
  /** Shuffle buffer size; <= 1: file order. */
  shuffleBuffer: number;
  /** Shuffle shard order each epoch. */
  shuffleShards: boolean;
  /** Check CRCs. */
  verifyCrc: boolean;
  /** First epoch. */
  startEpoch: number;
  /** Examples of the first epoch to skip (already produced before a resume). */
  skip: number;
}

// Stream ids mixed into the seed so the generators are independent.
const SHARD_ORDER = 1;
const SHUFFLE = 2;

async function* epochRecords(
  shards: readonly string[],
  epoch: number,
  options: ExampleStreamOptions,
): AsyncGenerator<Omit<StreamItem, "index">> {
  const order = [...shards];
  if (options.shuffleShards && order.length > 1) {
    const rng = createRng(deriveSeed([options.seed, epoch, SHARD_ORDER]));
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  for (const file of order) {
    let recordIndex = 0;
    for await (const record of readTFRecords(file, { verifyCrc: options.verifyCrc })) {
      yield { epoch, file, recordIndex: recordIndex++, record };
    }
  }
}

/** One epoch through the shuffle buffer (TF's `shuffle`: emit a random slot, refill it). */
async function* shuffledEpoch(
  shards: readonly string[],
  epoch: number,
  options: ExampleStreamOptions,
): AsyncGenerator<Omit<StreamItem, "index">> {
  const size = options.shuffleBuffer;
  if (size <= 1) {
    yield* epochRecords(shards, epoch, options);
    return;
  }
  const rng = createRng(deriveSeed([options.seed, epoch, SHUFFLE]));
  const buf: Omit<StreamItem, "index">[] = [];
  for await (const item of epochRecords(shards, epoch, options)) {
    if (buf.length < size) {
      buf.push(item);
      continue;
    }
    const j = rng.int(size);
    const out = buf[j];
    buf[j] = item;
    yield out;
  }
  while (buf.length > 0) {
    const j = rng.int(buf.length);
    const out = buf[j];
    buf[j] = buf[buf.length - 1];
    buf.pop();
    yield out;
  }
}

/**
 * Yields every example of epochs `startEpoch`, `startEpoch + 1`, ... in shuffled order,
 * skipping the first `skip` of the first epoch (they are read and shuffled, not yielded, so
 * the order of the rest is exactly the uninterrupted run's). An epoch with no records ends the
 * stream (an empty dataset).
 */
export async function* exampleStream(
  shards: readonly string[],
  options: ExampleStreamOptions,
): AsyncGenerator<StreamItem> {
  for (let epoch = options.startEpoch; epoch < options.epochs; epoch++) {
    let index = 0;
    const skip = epoch === options.startEpoch ? options.skip : 0;
    for await (const item of shuffledEpoch(shards, epoch, options)) {
      if (index >= skip) yield { ...item, index };
      index++;
    }
    if (index === 0) return;
  }
}
