/**
 * Plotly figures as MIME bundles (`application/vnd.plotly.v1+json`). The published reports
 * render them with plotly.js embedded once per page; nothing is loaded from the network.
 *
 * @module
 */
import { type Displayable, displayable, PLOTLY_MIME } from "./displayable.ts";

/** A plotly trace (scatter, bar, ...), passed through as is. */
export type Trace = Record<string, unknown>;

/** Options of {@linkcode plotlyFigure}. */
export interface FigureOptions {
  /** Figure title. */
  title?: string;
  /** X axis title, or a full axis object. */
  xaxis?: string | Record<string, unknown>;
  /** Y axis title, or a full axis object. */
  yaxis?: string | Record<string, unknown>;
  /** Extra layout keys (merged last). */
  layout?: Record<string, unknown>;
  /** Height in pixels (default 380). */
  height?: number;
}

function axis(a: string | Record<string, unknown> | undefined): Record<string, unknown> {
  if (a === undefined) return {};
  return typeof a === "string" ? { title: { text: a } } : a;
}

/** A plotly figure of `traces`; its text/plain fallback names the title and traces. */
export function plotlyFigure(traces: Trace[], options: FigureOptions = {}): Displayable {
  const layout = {
    title: options.title ? { text: options.title } : undefined,
    xaxis: axis(options.xaxis),
    yaxis: axis(options.yaxis),
    height: options.height ?? 380,
    margin: { l: 60, r: 20, t: options.title ? 50 : 20, b: 50 },
    template: undefined,
    ...options.layout,
  };
  const names = traces.map((t) => t.name).filter(Boolean).join(", ");
  return displayable({
    [PLOTLY_MIME]: { data: traces, layout },
    "text/plain": `[plotly figure${options.title ? `: ${options.title}` : ""}${
      names ? ` (${names})` : ""
    }]`,
  });
}
