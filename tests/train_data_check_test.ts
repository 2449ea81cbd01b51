/**
 * What the trainer checks about the data before work starts: `num_classes` against the label map
 * beside the TFRecord (fewer: an error naming the key, the count and the file; more: a
 * warning), and labels beyond `num_classes` met while training (an error naming the key).
 */
import { join } from "node:path";
import { assert, assertRejects } from "./support/assert.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { labelsPathFor } from "../lib/data/convert/mod.ts";
import { LabelRangeError } from "../lib/data/pipeline/mod.ts";
import { TrainDataError, trainModel } from "../lib/train/mod.ts";
import { makeTinyDataset, tinyConfig } from "./support/train_fixture.ts";

const dir = await Deno.makeTempDir({ prefix: "train_data_check_" });
const converted = await makeTinyDataset(dir);
// The TFRecord with only its labels.tsv beside it (no summary), and with nothing beside it.
await Deno.mkdir(join(dir, "labelled"));
await Deno.mkdir(join(dir, "bare"));
const labelled = join(dir, "labelled", "tiny.tfrecord"), bare = join(dir, "bare", "tiny.tfrecord");
await Deno.copyFile(converted, labelled);
await Deno.copyFile(labelsPathFor(converted), labelsPathFor(labelled));
await Deno.copyFile(converted, bare);

Deno.test("num_classes below the label map's identities is an error before training", async () => {
  const events: string[] = [];
  const config = parseConfig(tinyConfig(dir, labelled, { sub_name: "few", num_classes: 5 }));
  const err = await assertRejects(
    () => trainModel(config, { onEvent: (e) => events.push(e.type) }),
    TrainDataError,
    "num_classes: 6",
  );
  assert(err.message.includes("num_classes is 5"), err.message);
  assert(err.message.includes(labelsPathFor(labelled)) && err.message.includes("6 identities"));
  assert(!events.includes("start"), "nothing trained");
});

Deno.test("num_classes above the label map's identities is a warning", async () => {
  const warnings: string[] = [];
  const config = parseConfig(
    tinyConfig(dir, labelled, { sub_name: "many", num_classes: 8, max_steps: 1 }),
  );
  await trainModel(config, { onEvent: (e) => e.type === "warning" && warnings.push(e.message) });
  assert(
    warnings.some((w) => w.includes("num_classes is 8") && w.includes("never train")),
    warnings.join("\n"),
  );
});

Deno.test("a label beyond num_classes met while training names num_classes", async () => {
  const config = parseConfig(tinyConfig(dir, bare, { sub_name: "bare", num_classes: 4 }));
  const err = await assertRejects(() => trainModel(config), LabelRangeError, "num_classes");
  assert(err.message.includes(bare), err.message);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
