/**
 * The training input pipeline: TFRecord shards -> seeded shuffle -> decode + augment in worker(s)
 * -> batches, as an async iterator with a resumable position.
 *
 * @module
 */
import { LabelRangeError, PipelineClosedError } from "./errors.ts";
import { exampleStream, type StreamItem } from "./example_stream.ts";
import {
  type PipelineOptions,
  type PipelineState,
  type ResolvedOptions,
  resolveOptions,
} from "./options.ts";
import type { ProcessConfig } from "./process_example.ts";
import { deriveSeed } from "../../random/seeded_rng.ts";
import { resolveShards } from "./shards.ts";
import { type TaskResult, WorkerPool } from "./worker_pool.ts";

/** One batch. The arrays are fresh and owned by the caller. */
export interface Batch {
  /** Pixels, [B, size, size, 3] RGB in [0, 1], row-major. */
  images: Float32Array;
  /** [B, size, size, 3]; B < batchSize only for the last batch of a finite run. */
  shape: [number, number, number, number];
  /** Class labels, [B]. */
  labels: Int32Array;
  /** Position after this batch: save it with the checkpoint taken after training on it. */
  state: PipelineState;
}

// Stream id of the per-example augmentation seeds (see rng.ts deriveSeed).
const AUGMENT = 3;

interface Pending {
  item: Omit<StreamItem, "record">;
  result: Promise<TaskResult>;
}

/**
 * An async iterator of {@linkcode Batch}es. Iterate with `for await`; breaking out of the loop
 * (or calling `close()`) terminates the workers. Not safe for concurrent `next()` calls: they are
 * served one after the other.
 */
export class TrainPipeline implements AsyncIterableIterator<Batch> {
  /** The options in force (defaults filled in; `seed` is the run's seed). */
  readonly options: ResolvedOptions;
  /** The shard files, in resolved order. */
  readonly shards: readonly string[];
  readonly #pool: WorkerPool;
  readonly #ownPool: boolean;
  readonly #config: ProcessConfig;
  readonly #stream: AsyncGenerator<StreamItem>;
  readonly #queue: Pending[] = [];
  #streamDone = false;
  #closed = false;
  #state: PipelineState;
  #chain: Promise<unknown> = Promise.resolve();

  /** Use {@linkcode createTrainPipeline}. */
  constructor(shards: readonly string[], options: ResolvedOptions) {
    this.options = options;
    this.shards = shards;
    this.#state = { ...options.startFrom };
    this.#stream = exampleStream(shards, {
      seed: options.seed,
      epochs: options.epochs,
      shuffleBuffer: options.shuffleBuffer,
      shuffleShards: options.shuffleShards,
      verifyCrc: options.verifyCrc,
      startEpoch: options.startFrom.epoch,
      skip: options.startFrom.recordIndex,
    });
    this.#config = { augment: options.augment, imageRoot: options.imageRoot };
    this.#ownPool = !options.pool;
    this.#pool = options.pool ?? new WorkerPool({ workers: options.workers });
  }

  /** Position of the next example (a copy): pass it as `startFrom` to resume from here. */
  get state(): PipelineState {
    return { ...this.#state };
  }

  /** Returns this (the pipeline is its own iterator; it can be iterated once). */
  [Symbol.asyncIterator](): TrainPipeline {
    return this;
  }

  /** The next batch, or done at the end of a finite run. */
  next(): Promise<IteratorResult<Batch>> {
    const p = this.#chain.then(() => this.#next());
    this.#chain = p.catch(() => {});
    return p;
  }

  /** Stops: terminates the workers (unless the pool was passed in), closes the files. */
  async return(): Promise<IteratorResult<Batch>> {
    await this.close();
    return { done: true, value: undefined };
  }

  /** Terminates the workers (unless the pool was passed in) and closes open files; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownPool) this.#pool.close();
    this.#queue.length = 0;
    await this.#stream.return(undefined);
  }

  async #fill(): Promise<void> {
    const cap = this.options.batchSize * this.options.prefetchBatches;
    while (!this.#streamDone && this.#queue.length < cap) {
      const r = await this.#stream.next();
      if (r.done) {
        this.#streamDone = true;
        break;
      }
      const { record, ...item } = r.value;
      const seed = deriveSeed([this.options.seed, item.epoch, item.index, AUGMENT]);
      this.#queue.push({
        item,
        result: this.#pool.submit(
          { file: item.file, recordIndex: item.recordIndex, record, seed },
          this.#config,
        ),
      });
    }
  }

  async #next(): Promise<IteratorResult<Batch>> {
    if (this.#closed) return { done: true, value: undefined };
    try {
      const { batchSize, numClasses, augment } = this.options;
      const px = augment.imageSize * augment.imageSize * 3;
      const images = new Float32Array(batchSize * px); // [B, size, size, 3]
      const labels = new Int32Array(batchSize); // [B]
      let n = 0;
      while (n < batchSize) {
        await this.#fill();
        const p = this.#queue.shift();
        if (!p) break;
        const r = await p.result;
        if (this.#closed) throw new PipelineClosedError("The pipeline was closed.");
        if (!r.ok) throw r.error;
        const { file, recordIndex, epoch, index } = p.item;
        if (
          numClasses !== undefined && !(Number.isInteger(r.label) && r.label >= 0 &&
            r.label < numClasses)
        ) throw new LabelRangeError(file, recordIndex, r.label, numClasses);
        images.set(r.image, n * px);
        labels[n] = r.label;
        n++;
        this.#state = { seed: this.options.seed, epoch, recordIndex: index + 1 };
      }
      if (n === 0 || (n < batchSize && this.options.dropRemainder)) {
        await this.close();
        return { done: true, value: undefined };
      }
      const size = augment.imageSize;
      return {
        done: false,
        value: {
          images: n === batchSize ? images : images.slice(0, n * px),
          shape: [n, size, size, 3],
          labels: n === batchSize ? labels : labels.slice(0, n),
          state: this.state,
        },
      };
    } catch (e) {
      await this.close();
      throw e;
    }
  }
}

/**
 * Opens the training pipeline over `source`: a TFRecord path, a list of paths, or a pattern such
 * as `data/ms1m-*-of-*.tfrecord` (arcface-tf2 schemas: binary, image bytes embedded; or path,
 * `image/img_path` read at run time). Starts the decode worker(s) at once; call `close()` (or
 * finish/break the `for await` loop) to stop them.
 *
 * Throws ShardNotFoundError (missing shard) or PipelineConfigError (bad options) here;
 * RecordDecodeError, LabelRangeError and ShardNotFoundError (missing path-schema image) from
 * `next()`, after which the pipeline is closed.
 */
export async function createTrainPipeline(
  source: string | readonly string[],
  options: PipelineOptions = {},
): Promise<TrainPipeline> {
  const resolved = resolveOptions(options);
  const shards = await resolveShards(source);
  return new TrainPipeline(shards, resolved);
}
