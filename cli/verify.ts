/**
 * `deno task verify <photo A> <photo B> [--model M] [--eval path] [--set name]
 *   [--template arcface|arcface_96] [--detector ssd|tiny] [--min-score 0.5] [--backend auto]
 *   [--results results] [--json]`
 *
 * "Are these two the same person?": detects and aligns the faces of both photos, embeds them as
 * the evaluation did, and prints the distance, the decision and the threshold with its source
 * (the model's own eval.json: the mean best threshold over 10 folds of a set, FAR and TAR at it).
 * See lib/eval/verify/ and docs/eval.md.
 *
 * @module
 */
import { setupBackend } from "../lib/backend/mod.ts";
import { ALIGN_TEMPLATE_NAMES, type AlignTemplateName } from "../lib/data/align/mod.ts";
import { verifyPhotos, type VerifyResult } from "../lib/eval/verify/mod.ts";
import { numberOption, parseCliOrHelp, runCli, UsageError } from "./cli_main.ts";

const USAGE = `Usage: deno task verify <photo A> <photo B> [--model face-api|path/model.json]
         [--eval results/<name>/eval.json] [--set lfw] [--template arcface|arcface_96]
         [--detector ssd|tiny] [--min-score 0.5] [--backend auto] [--results results] [--json]

  --model      the embedding model (default: the model of --eval, else face-api)
  --eval       the evaluation whose threshold decides (default: found under --results by model)
  --set        which set of that evaluation (default: its first)
  --template   alignment (default: the geometry the threshold was measured on)
  --detector   face detector: ssd (default) or tiny
  --min-score  detector score floor (default 0.5)
  --json       print the result as JSON
Several faces in a photo: every pair is tried and the closest decides. See docs/eval.md.`;

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The human-readable report of a verification. */
function describe(r: VerifyResult): string {
  const t = r.threshold;
  const lines: string[] = [];
  for (const [label, p] of [["A", r.a], ["B", r.b]] as const) {
    const f = p.faces[p.used];
    const box = `${Math.round(f.box.width)}x${Math.round(f.box.height)} at (${
      Math.round(f.box.x)
    }, ${Math.round(f.box.y)})`;
    lines.push(
      `photo ${label}: ${p.photo} (${p.width}x${p.height}): ${p.faces.length} face(s); ` +
        `used #${p.used + 1}: box ${box}, score ${f.score.toFixed(3)}`,
    );
  }
  if (r.bestOfSeveral) {
    const n = r.a.faces.length * r.b.faces.length;
    const far = r.threshold.rates?.far;
    lines.push(
      `several faces: tried all ${r.a.faces.length} x ${r.b.faces.length} pairs, the closest ` +
        `pair (A #${r.a.used + 1}, B #${r.b.used + 1}) decides` +
        (far === undefined ? "" : `; with ${n} tries a false "same" is likelier than one pair's ` +
          `FAR (up to 1-(1-FAR)^${n} = ${pct(1 - (1 - far) ** n)} for unrelated faces)`),
    );
  }
  lines.push(`aligned with template ${t.template} (${t.templateSource})`);
  lines.push(
    `model ${r.model}: distance ${r.distance.toFixed(4)} (squared L2 of L2-normalised` +
      `${t.flip ? ", flip-summed" : ""} embeddings)`,
  );
  lines.push(
    `threshold ${t.value.toFixed(4)}: ${t.rule} of ${t.set} (${t.pairs} pairs, accuracy ${
      pct(t.accuracy)
    } +- ${pct(t.std)}) in ${t.file}`,
  );
  lines.push(
    t.rates
      ? `  at this threshold on ${t.set}: FAR ${
        pct(t.rates.far)
      } (${t.rates.falseAccepts}/${t.rates.differentPairs} different-person pairs accepted), TAR ${
        pct(t.rates.tar)
      } (${t.rates.trueAccepts}/${t.rates.samePairs} same-person pairs accepted)`
      : `  FAR/TAR at this threshold are not in this older eval.json; refresh it: ${t.refresh}`,
  );
  for (const w of t.warnings) lines.push(`WARNING: ${w}`);
  lines.push(
    `decision: ${r.same ? "SAME PERSON" : "DIFFERENT PEOPLE"} (distance ${
      r.same ? "<" : ">="
    } threshold)`,
  );
  return lines.join("\n");
}

await runCli("verify", USAGE, async (args) => {
  const { values, positionals } = parseCliOrHelp(args, {
    model: { type: "string" },
    eval: { type: "string" },
    set: { type: "string" },
    template: { type: "string" },
    detector: { type: "string", default: "ssd" },
    "min-score": { type: "string" },
    backend: { type: "string" },
    results: { type: "string", default: "results" },
    json: { type: "boolean", default: false },
  }, { minPositionals: 2, maxPositionals: 2, positionalsHint: "<photo A> <photo B>" });
  const template = values.template as string | undefined;
  if (template !== undefined && !(ALIGN_TEMPLATE_NAMES as readonly string[]).includes(template)) {
    throw new UsageError(
      `--template must be one of ${ALIGN_TEMPLATE_NAMES.join(", ")}, got '${template}'`,
    );
  }
  const detector = values.detector as string;
  if (detector !== "ssd" && detector !== "tiny") {
    throw new UsageError(`--detector must be ssd or tiny, got '${detector}'`);
  }
  const minScore = numberOption("min-score", values["min-score"], { min: 0, max: 1 });
  await setupBackend(values.backend as string | undefined);
  const r = await verifyPhotos(positionals[0], positionals[1], {
    model: values.model as string | undefined,
    eval: values.eval as string | undefined,
    set: values.set as string | undefined,
    resultsDir: values.results as string,
    template: template as AlignTemplateName | undefined,
    detector,
    minScore,
  });
  if (values.json) {
    const strip = (p: VerifyResult["a"]) => ({ ...p, crop: undefined });
    console.log(JSON.stringify({ ...r, a: strip(r.a), b: strip(r.b) }, null, 1));
  } else console.log(describe(r));
});
