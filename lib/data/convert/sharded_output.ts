/**
 * A set of output TFRecord files written as temporary files and renamed together on commit:
 * one file, or `name-00000-of-0000N.tfrecord` shards. A failed run never leaves any file under
 * a final name.
 *
 * @module
 */
import { dirname } from "node:path";
import { openTFRecordWriter, type TFRecordWriter } from "../tfrecord/tfrecord_writer.ts";
import { ConvertError } from "./errors.ts";
import { commitTempFile, tempPathFor } from "../../io/atomic_write.ts";

/** The output file names: `output` itself for one shard, else `<stem>-0000k-of-0000N<ext>`. */
export function shardPaths(output: string, shards: number): string[] {
  if (!Number.isInteger(shards) || shards < 1) {
    throw new ConvertError(`shards must be an integer >= 1, got ${shards}`);
  }
  if (shards === 1) return [output];
  const m = /^(.*?)(\.tfrecords?)?$/i.exec(output)!;
  const pad = (n: number) => String(n).padStart(5, "0");
  return Array.from(
    { length: shards },
    (_, k) => `${m[1]}-${pad(k)}-of-${pad(shards)}${m[2] ?? ""}`,
  );
}

/** Records and bytes of one committed file. */
export interface OutputFile {
  /** Final path. */
  path: string;
  /** Records in it. */
  records: number;
  /** Bytes in it. */
  bytes: number;
}

/** Open shards. */
export interface ShardedOutput {
  /** Final paths. */
  readonly paths: string[];
  /** Bytes written so far, over all shards. */
  readonly bytes: number;
  /** Appends `record` to shard `shard`. */
  write(record: Uint8Array, shard: number): Promise<void>;
  /** Closes every shard and renames them all to their final names. */
  commit(): Promise<OutputFile[]>;
  /** Closes and deletes every temporary file. */
  abort(): Promise<void>;
}

/** Opens the shards of `output` (creating its folder when missing). */
export async function openShardedOutput(output: string, shards: number): Promise<ShardedOutput> {
  const paths = shardPaths(output, shards);
  try {
    await Deno.mkdir(dirname(output), { recursive: true });
  } catch (e) {
    throw new ConvertError(
      `cannot create the output folder ${dirname(output)}: ${(e as Error).message}; ` +
        `choose an output whose folder can be created (a file is in the way?)`,
      dirname(output),
    );
  }
  const writers: TFRecordWriter[] = [];
  const temps = paths.map(tempPathFor);
  try {
    for (const [k, t] of temps.entries()) {
      writers.push(await openTFRecordWriter(t, { atomic: false, outputName: paths[k] }));
    }
  } catch (e) {
    for (const w of writers) await w.abort();
    throw e;
  }
  return {
    paths,
    get bytes() {
      return writers.reduce((a, w) => a + w.bytes, 0);
    },
    write: (record, shard) => writers[shard].write(record),
    async commit() {
      const results = [];
      for (const w of writers) results.push(await w.close());
      for (let k = 0; k < paths.length; k++) await commitTempFile(temps[k], paths[k]);
      return results.map((r, k) => ({ path: paths[k], records: r.records, bytes: r.bytes }));
    },
    async abort() {
      for (const w of writers) await w.abort();
    },
  };
}
