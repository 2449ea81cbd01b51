/**
 * The distance histograms of a verification set: how far apart same-identity and
 * different-identity pairs lie (squared L2 distance of the normalised embeddings, 0..4), with
 * the threshold the 10-fold protocol chose. What the accuracy number hides: how much the two
 * kinds overlap and where the cut falls.
 *
 * @module
 */
import type { Displayable } from "./displayable.ts";
import { plotlyFigure } from "./plotly_figure.ts";

/** Pair counts per distance bin, for the two kinds of pairs of one set. */
export interface DistanceHistogram {
  /** The set's name. */
  set: string;
  /** Bin width (distance units); bin i covers [i * binWidth, (i + 1) * binWidth). */
  binWidth: number;
  /** Same-identity pairs per bin. */
  same: number[];
  /** Different-identity pairs per bin. */
  different: number[];
  /** The mean of the folds' chosen thresholds (what the report calls the threshold). */
  meanThreshold: number;
  /** Each fold's chosen threshold. */
  bestThresholds: number[];
}

/** Squared L2 distances of unit vectors lie in [0, 4]. */
const MAX_DISTANCE = 4;

/** About this many bins cover the distances (a model's distances may fill only part of 0..4). */
const TARGET_BINS = 50;

/** The 1, 2, 2.5 or 5 times a power of ten nearest above `x`: a bin width that reads well. */
function niceWidth(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((k) => k * p).find((w) => w >= x * (1 - 1e-9))!;
}

/**
 * Bins `distances` ([P] squared L2 distances) by `issame` ([P]) from 0 up to the largest
 * distance, in bins of `binWidth` (default: a round width giving about 50 bins); the largest
 * distance goes into the last bin.
 */
export function binDistances(
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean | number>,
  options: { binWidth?: number } = {},
): { binWidth: number; same: number[]; different: number[] } {
  let max = 0;
  for (let i = 0; i < distances.length; i++) max = Math.max(max, distances[i]);
  max = Math.min(max, MAX_DISTANCE); // unit vectors: at most 4, but for float rounding
  const binWidth = options.binWidth ?? niceWidth(Math.max(max, 1e-6) / TARGET_BINS);
  const bins = Math.max(1, Math.ceil(max / binWidth - 1e-9));
  const same = new Array<number>(bins).fill(0), different = new Array<number>(bins).fill(0);
  for (let i = 0; i < distances.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(distances[i] / binWidth)));
    (issame[i] ? same : different)[b]++;
  }
  return { binWidth, same, different };
}

/**
 * Overlaid histograms (fraction of each kind's pairs per bin) of same and different pairs,
 * the mean threshold as a line and the range of the folds' thresholds as a band.
 */
export function distanceHistogramChart(
  h: DistanceHistogram,
  options: { title?: string } = {},
): Displayable {
  const centres = h.same.map((_, i) => +((i + 0.5) * h.binWidth).toFixed(6));
  const fractions = (counts: number[]) => {
    const n = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (n > 0 ? c / n : 0));
  };
  const nSame = h.same.reduce((a, b) => a + b, 0);
  const nDiff = h.different.reduce((a, b) => a + b, 0);
  const lo = Math.min(...h.bestThresholds), hi = Math.max(...h.bestThresholds);
  return plotlyFigure([
    {
      type: "bar",
      name: `same identity (${nSame} pairs)`,
      x: centres,
      y: fractions(h.same),
      opacity: 0.6,
    },
    {
      type: "bar",
      name: `different identities (${nDiff} pairs)`,
      x: centres,
      y: fractions(h.different),
      opacity: 0.6,
    },
  ], {
    title: options.title ?? `Pair distances on ${h.set} and the chosen threshold`,
    xaxis: {
      title: { text: "squared L2 distance of the normalised embeddings (0..4)" },
      range: [0, h.same.length * h.binWidth],
    },
    yaxis: "fraction of the pairs of each kind",
    layout: {
      barmode: "overlay",
      bargap: 0,
      shapes: [
        {
          type: "rect",
          xref: "x",
          yref: "paper",
          x0: lo,
          x1: hi,
          y0: 0,
          y1: 1,
          fillcolor: "rgba(0,0,0,0.12)",
          line: { width: 0 },
        },
        {
          type: "line",
          xref: "x",
          yref: "paper",
          x0: h.meanThreshold,
          x1: h.meanThreshold,
          y0: 0,
          y1: 1,
          line: { color: "black", width: 2 },
        },
      ],
      annotations: [{
        x: h.meanThreshold,
        y: 1,
        xref: "x",
        yref: "paper",
        yanchor: "bottom",
        showarrow: false,
        text: `threshold ${h.meanThreshold.toFixed(3)} (mean of ${h.bestThresholds.length} ` +
          `folds; band: ${lo.toFixed(2)}-${hi.toFixed(2)})`,
      }],
    },
  });
}
