/**
 * Where a profile's run differs from the research log's: data, network, training length and
 * verification sets side by side, ours read from what ran (the TFRecord's summary and labels,
 * the resolved config, the evaluation), the log's from `research_log.ts` and
 * `configs/arc_res50.yaml` (arcface-tf2's values, which the log used unchanged).
 *
 * @module
 */
import { stepsPerEpoch, totalSteps, type TrainConfig } from "../../config/mod.ts";
import type { EvalReport } from "../../eval/mod.ts";
import { type Displayable, markdownOutput } from "../display/mod.ts";
import type { NotebookProfile } from "./profiles.ts";
import { LOG_DATASETS, LOG_SETS } from "./research_log.ts";
import { arcfaceTf2Config } from "./baseline.ts";
import type { SectionData } from "./dataset.ts";
import { sourceCounts } from "./tfrecord_view.ts";

const n = (x: number) => x.toLocaleString("en-US");

/** One row: what, the log's, ours, and whether they are the same (decided from the values). */
type Row = [string, string, string, boolean];

function table(rows: Row[]): string {
  return [
    "| | the log | ours | |",
    "| --- | --- | --- | --- |",
    ...rows.map(([what, log, ours, same]) =>
      `| ${what} | ${log} | ${ours} | ${same ? "same" : "**differs**"} |`
    ),
  ].join("\n");
}

function setsRow(labels: readonly string[]): Row {
  const log = LOG_SETS.map((s) => s.label).join(", "), ours = labels.join(", ");
  return ["verification sets", log, ours, log === ours];
}

const sameCounts = (a: { identities: number; images: number }, b: typeof a) =>
  a.identities === b.identities && a.images === b.images;

/** A row whose two sides are the same exactly when their texts are. */
const textRow = (what: string, log: string, ours: string): Row => [what, log, ours, log === ours];

/** Sections 1 and 2: the training data, network, length and sets, the log's beside ours. */
export async function sectionDifferences(
  profile: NotebookProfile,
  config: TrainConfig,
  data: SectionData,
  section: "reproduce" | "kface",
): Promise<Displayable> {
  const log = await arcfaceTf2Config(profile);
  const sources = [...sourceCounts(data)];
  const counts = (c: { identities: number; images: number }) =>
    `${n(c.identities)} identities, ${n(c.images)} images`;
  const rows: Row[] = [];
  const ms1m = `MS-Celeb-1M: ${counts(LOG_DATASETS.ms1m)}`;
  if (section === "reproduce") {
    const ours = sources.map(([s, c]) => `${s}: ${counts(c)}`).join("; ");
    rows.push(["training data", ms1m, ours, sameCounts(LOG_DATASETS.ms1m, data.summary)]);
  } else {
    const [first, ...rest] = sources;
    rows.push([
      "section 1's data",
      ms1m,
      first ? `${first[0]}: ${counts(first[1])}` : "-",
      first !== undefined && sameCounts(LOG_DATASETS.ms1m, first[1]),
    ]);
    rows.push([
      "data added",
      `K-Face: ${counts(LOG_DATASETS.kface)}`,
      rest.map(([s, c]) => `${profile.secondSet.label} (${s}): ${counts(c)}`).join("; ") || "-",
      rest.length === 1 && sameCounts(LOG_DATASETS.kface, rest[0][1]),
    ]);
    rows.push([
      "together",
      counts(LOG_DATASETS.merged),
      counts(data.summary),
      sameCounts(LOG_DATASETS.merged, data.summary),
    ]);
  }
  const net = (c: TrainConfig) =>
    `${c.backbone_type}${c.width !== 1 ? ` x${c.width}` : ""}, ${c.embd_shape}-d, ` +
    `${c.input_size}x${c.input_size} input`;
  rows.push(textRow("network", net(log), net(config)));
  const length = (c: TrainConfig) => {
    const steps = totalSteps(c);
    return `${n(steps)} steps of ${c.batch_size} (${(steps / stepsPerEpoch(c)).toFixed(1)} epochs)`;
  };
  const logImages = section === "reproduce" ? LOG_DATASETS.ms1m : LOG_DATASETS.merged;
  rows.push(
    textRow("training", length({ ...log, num_samples: logImages.images }), length(config)),
  );
  const head = (c: TrainConfig) => `${c.head_type}, m ${c.margin}, s ${c.logit_scale}`;
  rows.push(textRow("head", head(log), head(config)));
  rows.push(setsRow(profile.sets.map((s) => s.label)));
  return markdownOutput(
    `**Where the \`${profile.name}\` profile differs from the log** (ours from the TFRecord ` +
      `and the resolved config; the log's from its text and arcface-tf2's config):\n\n` +
      table(rows),
  );
}

/** Section 0: the downloaded model and its test sets, the log's beside ours. */
export function baselineDifferences(profile: NotebookProfile, report: EvalReport): Displayable {
  const ours = `${profile.baseline.what} (${report.modelInfo.name})`;
  const rows: Row[] = [
    [
      "model",
      "arcface-tf2's pretrained ResNet50",
      ours,
      /arcface-tf2/i.test(ours) && /resnet-?50/i.test(ours),
    ],
    setsRow(report.sets.map((s, i) => profile.baselineSets[i]?.label ?? s.set)),
  ];
  return markdownOutput(
    `**Where the \`${profile.name}\` profile differs from the log** (ours from the profile and ` +
      `this evaluation):\n\n` + table(rows),
  );
}
