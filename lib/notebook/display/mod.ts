/**
 * What notebooks show: MIME bundles the Deno kernel displays and the report publisher renders
 * (plotly figures, HTML tables, image grids, a verification pair), the notebooks' charts, and
 * progress displays updated in place.
 *
 * @module
 */
export * from "./displayable.ts";
export * from "./html_table.ts";
export * from "./plotly_figure.ts";
export * from "./charts.ts";
export * from "./image_grid.ts";
export * from "./progress.ts";
export * from "./live_progress.ts";
export * from "./verify_pair.ts";
export * from "./markdown.ts";
export * from "./distance_histogram.ts";
