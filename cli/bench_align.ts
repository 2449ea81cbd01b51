/**
 * `deno task bench-align [--pairs N] [--workers N] [--detector ssd|tiny] [--min-score 0.5]
 *   [--distractors 2] [--seed 11] [--model face-api | --no-model] [--realign-to source|arcface]
 *   [--backend auto]
 *   [--out results/bench/align.json]`
 *
 * The measured test of the photo chain (issue 11 item 5, lib/bench/face_chain): LFW
 * pairsDevTest crops made into synthetic raw photos (random similarity on clutter, smaller
 * distractor faces), detected + aligned by lib/face's Worker pool, and scored: (a) landmark
 * error against the known transform (mean, p95, max; no-face and wrong-face counts), align
 * speed (img/s), (b) the model's pairsDevTest accuracy on the re-aligned crops next to the
 * original crops, (c) faces found on face-api's demo photos. Prints a table, writes the JSON.
 * The full run (1,000 pairs, ~1,700 photos) takes a while on 2 cores; `--pairs 50` is quick.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../lib/io/atomic_write.ts";
import { repoRoot } from "../lib/io/repo_root.ts";
import { runChainBench } from "../lib/bench/face_chain/mod.ts";
import { textTable } from "../lib/format/text_table.ts";
import { guardCli, intOption, numberOption, parseCliOrHelp, UsageError } from "./cli_main.ts";
import { createStatusLine } from "./status_line.ts";

const USAGE = `usage: deno task bench-align [--pairs N] [--workers N] [--detector ssd|tiny]
  [--min-score 0.5] [--distractors 2] [--seed 11] [--model face-api | --no-model]
  [--realign-to source|arcface] [--pad none|empty|always] [--backend auto|wasm|...]
  [--out results/bench/align.json]
  --pad  search a padded copy of each photo too: never (default, as the documented runs),
         only when no face is found (what deno task align does), or always, merged (2x time)`;

const status = createStatusLine();
guardCli("bench-align", USAGE, { beforeExit: () => status.done() });

const { values } = parseCliOrHelp(Deno.args, {
  pairs: { type: "string" },
  workers: { type: "string" },
  detector: { type: "string", default: "ssd" },
  "min-score": { type: "string", default: "0.5" },
  distractors: { type: "string", default: "2" },
  seed: { type: "string", default: "11" },
  model: { type: "string", default: "face-api" },
  "no-model": { type: "boolean", default: false },
  "realign-to": { type: "string", default: "source" },
  pad: { type: "string", default: "none" },
  backend: { type: "string" },
  out: { type: "string", default: "results/bench/align.json" },
});
const pairs = intOption("pairs", values.pairs, { min: 20 });
const workers = intOption("workers", values.workers, { min: 1 });
const distractors = intOption("distractors", values.distractors, { min: 0 })!;
const seed = intOption("seed", values.seed, { min: 0 })!;
const minScore = numberOption("min-score", values["min-score"], { min: 0, max: 1 })!;
if (values.detector !== "ssd" && values.detector !== "tiny") {
  throw new UsageError(`--detector must be ssd or tiny, got '${values.detector}'`);
}
const pad = values.pad;
if (pad !== "none" && pad !== "empty" && pad !== "always") {
  throw new UsageError(`--pad must be none, empty or always, got '${pad}'`);
}
const realignTo = values["realign-to"];
if (realignTo !== "source" && realignTo !== "arcface") {
  throw new UsageError(`--realign-to must be source or arcface, got '${realignTo}'`);
}
const demo = join(repoRoot(), "node_modules/@vladmandic/face-api/demo");
const samples = [...Deno.readDirSync(demo)].map((e) => e.name)
  .filter((n) => /^sample\d+\.jpg$/.test(n)).sort().map((n) => join(demo, n));

const phaseStart = new Map<string, { t: number; done: number }>();
const report = await runChainBench({
  pairs,
  workers,
  detector: values.detector,
  minScore,
  distractors,
  seed,
  model: values["no-model"] ? null : values.model,
  backend: values.backend,
  realignTo,
  padRetry: pad === "none" ? false : pad === "always" ? "always" : true,
  samples,
  onProgress: ({ phase, done, total }) => {
    const now = performance.now();
    if (!phaseStart.has(phase)) phaseStart.set(phase, { t: now, done });
    const start = phaseStart.get(phase)!, sec = (now - start.t) / 1000;
    const rate = sec > 0 ? (done - start.done) / sec : 0;
    const eta = rate > 0 ? ((total - done) / rate).toFixed(0) : "?";
    status.update(
      `${phase} ${done}/${total}, ${rate.toFixed(1)} img/s, ETA ${eta} s`,
      done === total,
    );
  },
});
status.done();

const f = (x: number, d = 2) => Number.isFinite(x) ? x.toFixed(d) : "-";
const L = report.landmarks;
console.log(
  `${report.set}: ${report.pairs} pairs, ${report.photos} synthetic photos (seed ${report.seed}, ` +
    `${distractors} distractors each), detector ${report.detector}, ${report.workers} workers`,
);
const row = (what: string, S: typeof L) => [
  `${what}: ${S.photos - S.noFace - S.wrongFace}/${S.photos} right face`,
  f(S.mean),
  f(S.p95),
  f(S.max),
  String(S.noFace),
  `${S.wrongFace} (> ${S.wrongFacePx} px)`,
  String(report.multiFace),
];
console.log(textTable(
  ["(a) landmark error, 112-crop px", "mean", "p95", "max", "no face", "wrong face", "2+ faces"],
  [
    row("vs the crops' own geometry", L),
    row("vs ARCFACE_TEMPLATE_112 (naive)", report.landmarksVsArcfaceTemplate),
  ],
));
console.log(
  `align speed: ${f(report.align.imagesPerSec, 1)} img/s (${report.photos} photos in ` +
    `${f(report.align.seconds, 1)} s: PNG decode + detect + 68 landmarks + align)`,
);
if (report.verification) {
  const v = report.verification, pct = (x: number) => (100 * x).toFixed(2);
  console.log(textTable(
    [`(b) ${v.model} on ${report.pairs} pairs`, "accuracy %", "threshold"],
    [
      [
        "original crops",
        `${pct(v.original.accuracy)} +- ${pct(v.original.std)}`,
        f(v.original.meanThreshold, 3),
      ],
      [
        `re-aligned from photos (${v.realignTo} geometry)`,
        `${pct(v.realigned.accuracy)} +- ${pct(v.realigned.std)}`,
        f(v.realigned.meanThreshold, 3),
      ],
    ],
  ));
}
console.log(textTable(
  ["(c) demo photo", "faces", "scores"],
  report.samples.map((
    s,
  ) => [s.file, s.error ? `error: ${s.error}` : String(s.faces), s.scores.join(" ")]),
));
await writeFileAtomic(values.out, JSON.stringify(report, null, 1) + "\n", { mkdir: true });
console.log(`saved ${values.out}`);
