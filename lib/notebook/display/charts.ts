/**
 * The charts of the notebooks: training curves from `metrics.jsonl` records, ROC curves from
 * `eval.json`, grouped accuracy bars (ours beside the research log's).
 *
 * @module
 */
import type { Displayable } from "./displayable.ts";
import { plotlyFigure, type Trace } from "./plotly_figure.ts";

/** A `metrics.jsonl` record (see docs/training.md). */
export type MetricsRecord = Record<string, unknown>;

/** Training curves of one run: which quantity to plot. */
export type CurveKind = "loss" | "accuracy" | "angle" | "lr";

/**
 * The margin accuracy is drawn only when it says something: above this fraction somewhere. With
 * m = 0.5 and s = 64 the margin-penalised target logit rarely wins early, and a line flat at 0
 * would only hide the plain-cosine one.
 */
export const MARGIN_ACCURACY_SHOWN_ABOVE = 0.05;

function series(records: readonly MetricsRecord[], type: string, key: string) {
  const rows = records.filter((r) => r.type === type && typeof r[key] === "number");
  return { x: rows.map((r) => r.step as number), y: rows.map((r) => r[key] as number) };
}

const line = (name: string, s: { x: number[]; y: number[] }, dash?: string): Trace => ({
  type: "scatter",
  mode: "lines",
  name,
  x: s.x,
  y: s.y,
  ...(dash ? { line: { dash } } : {}),
});

function evalTraces(run: { name: string; records: readonly MetricsRecord[] }): Trace[] {
  const evals = run.records.filter((r) => r.type === "eval");
  const sets = new Set(evals.flatMap((e) => (e.sets as { set: string }[]).map((s) => s.set)));
  return [...sets].map((set) => {
    const pts = evals.map((e) => ({
      step: e.step as number,
      acc: (e.sets as { set: string; accuracy: number }[]).find((s) => s.set === set)?.accuracy,
    })).filter((p) => p.acc !== undefined);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: `${run.name}: ${set}`,
      x: pts.map((p) => p.step),
      y: pts.map((p) => p.acc),
    };
  });
}

/**
 * One chart of one or more runs' curves: `loss` (training loss), `accuracy` (the batch
 * accuracy of the plain cosines, the margin accuracy where it rises above
 * {@linkcode MARGIN_ACCURACY_SHOWN_ABOVE}, and each verification set's accuracy from `eval`
 * records as markers), `angle` (the mean angle to the class centre, degrees) or `lr`.
 */
export function trainingCurves(
  runs: readonly { name: string; records: readonly MetricsRecord[] }[],
  kind: CurveKind,
  options: { title?: string } = {},
): Displayable {
  const traces: Trace[] = [];
  for (const run of runs) {
    if (kind === "accuracy") {
      const plain = series(run.records, "step", "cosineAccuracy");
      if (plain.x.length > 0) traces.push(line(`${run.name} (train batch, cosine)`, plain));
      const margin = series(run.records, "step", "accuracy");
      if (plain.x.length === 0 || margin.y.some((v) => v > MARGIN_ACCURACY_SHOWN_ABOVE)) {
        traces.push(line(`${run.name} (train batch, with margin)`, margin, "dot"));
      }
      traces.push(...evalTraces(run));
    } else {
      const key = kind === "angle" ? "targetAngle" : kind;
      traces.push(line(run.name, series(run.records, "step", key)));
    }
  }
  const ytitle = { loss: "loss", lr: "learning rate", accuracy: "accuracy", angle: "degrees" }[
    kind
  ];
  return plotlyFigure(traces, {
    title: options.title,
    xaxis: "step",
    yaxis: kind === "accuracy" ? { title: { text: ytitle }, range: [0, 1] } : ytitle,
  });
}

/** ROC curves (TPR against FPR, log FPR axis) of one or more evaluated sets. */
export function rocChart(
  curves: readonly { name: string; fpr: readonly number[]; tpr: readonly number[] }[],
  options: { title?: string } = {},
): Displayable {
  return plotlyFigure(
    curves.map((c) => {
      // A log axis cannot show FPR 0: start at the first positive point.
      const i0 = c.fpr.findIndex((f) => f > 0);
      return {
        type: "scatter",
        mode: "lines",
        name: c.name,
        x: c.fpr.slice(Math.max(0, i0)),
        y: c.tpr.slice(Math.max(0, i0)),
      };
    }),
    {
      title: options.title,
      xaxis: { title: { text: "false accept rate" }, type: "log" },
      yaxis: { title: { text: "true accept rate" }, range: [0, 1.02] },
    },
  );
}

/**
 * Grouped bars: one group per category (e.g. LFW / AgeDB-30 / CFP-FP), one bar per series
 * (e.g. "log, section 1", "ours, section 1"); a missing value (null) leaves a gap.
 */
export function groupedBars(
  categories: readonly string[],
  seriesList: readonly { name: string; values: readonly (number | null)[] }[],
  options: { title?: string; yaxis?: string; range?: [number, number] } = {},
): Displayable {
  return plotlyFigure(
    seriesList.map((s) => ({
      type: "bar",
      name: s.name,
      x: categories,
      y: s.values,
      text: s.values.map((v) => (v === null ? "" : (100 * v).toFixed(2))),
      textposition: "auto",
    })),
    {
      title: options.title,
      yaxis: { title: { text: options.yaxis ?? "accuracy" }, range: options.range ?? [0, 1] },
      layout: { barmode: "group" },
    },
  );
}
