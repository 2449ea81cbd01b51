/**
 * `deno task inspect-ckpt <path> [--all] [--json]`
 *
 * Lists a TensorFlow checkpoint from its index (no weights read): the prefix, its shards (which
 * data files are there, which missing), entry count, total bytes, whether the object graph was
 * decoded; then a table of the model variables (object path, dtype, shape, bytes), optimizer
 * slots grouped by kind, optimizer scalars. The rows come from `listCheckpoint`
 * (lib/data/tf_checkpoint); this file only renders them. See docs/tf_checkpoint.md.
 *
 * @module
 */
import { basename } from "node:path";
import { type CheckpointListing, listCheckpoint } from "../lib/data/tf_checkpoint/mod.ts";
import { textTable } from "../lib/format/text_table.ts";
import { parseCliOrHelp, runCli } from "./cli_main.ts";

const USAGE = `Usage: deno task inspect-ckpt <path> [--all] [--json]

  path    a checkpoint prefix (x.ckpt), its .index file, a folder with TF's 'checkpoint'
          file, or a SavedModel folder (variables/)
  --all   list every entry (optimizer slots, scalars, the object graph), not only the model's
  --json  the listing as JSON, for scripts
Reads only the .index (and the object graph when its shard is there): works with the weight
shards missing. See docs/tf_checkpoint.md.`;

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const shape = (s: number[]) => `[${s.join(", ")}]`;

function render(l: CheckpointListing, all: boolean): string {
  const out: string[] = [];
  out.push(`prefix:       ${l.prefix}`);
  out.push(`index:        ${basename(l.index.file)} (${l.index.bytes} bytes)`);
  const missing = l.shards.filter((s) => !s.present).length;
  out.push(
    `shards:       ${l.shards.length}` + (missing ? ` (${missing} missing)` : " (all present)"),
  );
  for (const s of l.shards) {
    const what = s.present
      ? `present, ${s.bytes} bytes`
      : `MISSING (index places ${s.indexedBytes} bytes in it)`;
    out.push(
      `  ${basename(s.file)}: ${what}, ${s.entries} ${s.entries === 1 ? "entry" : "entries"}`,
    );
  }
  out.push(`entries:      ${l.entryCount}, ${l.totalBytes} bytes (${mb(l.totalBytes)})`);
  const c = l.counts;
  out.push(
    `kinds:        ${c.model} model, ${c.slot} slot, ${c.optimizer} optimizer, ` +
      `${c.other} other, ${c.graph} object graph`,
  );
  const graph = {
    decoded: "present, decoded (keys by object path)",
    "missing-shard": "in a missing shard (kinds from the keys)",
    absent: "absent (kinds from the keys)",
  }[l.objectGraph];
  out.push(`object graph: ${graph}`);
  out.push("");
  const rows = l.rows.map((r) => [
    r.key,
    ...(all ? [r.kind + (r.slotName ? ` (${r.slotName})` : "")] : []),
    r.dtype,
    shape(r.shape),
    String(r.bytes),
  ]);
  out.push(textTable(["key", ...(all ? ["kind"] : []), "dtype", "shape", "bytes"], rows));
  if (!all) {
    const modelBytes = l.rows.reduce((s, r) => s + r.bytes, 0);
    out.push(`${l.rows.length} model variables, ${mb(modelBytes)}`);
  }
  if (l.slotGroups.length) {
    out.push("");
    out.push("optimizer slots:");
    for (const g of l.slotGroups) out.push(`  ${g.slotName}: ${g.count} slots, ${mb(g.bytes)}`);
  }
  if (l.scalars.length) {
    out.push("");
    out.push("optimizer scalars and other state:");
    for (const r of l.scalars) {
      const value = r.value ?? (r.shape.length ? shape(r.shape) : "(shard missing)");
      out.push(`  ${r.key} (${r.kind}, ${r.dtype}): ${value}`);
    }
  }
  return out.join("\n");
}

await runCli("inspect-ckpt", USAGE, async (args) => {
  const { values, positionals } = parseCliOrHelp(args, {
    all: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  }, { minPositionals: 1, maxPositionals: 1, positionalsHint: "<path>" });
  const all = values.all as boolean;
  const listing = await listCheckpoint(positionals[0], { all });
  console.log(values.json ? JSON.stringify(listing, null, 2) : render(listing, all));
});
