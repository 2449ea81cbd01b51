/**
 * Publishing executed notebooks as self-contained HTML reports (plotly.js inlined once per page,
 * images as data URLs, no network access) with an index page, and checking them in headless
 * Chromium.
 *
 * @module
 */
export * from "./notebook_model.ts";
export * from "./render_output.ts";
export * from "./render_notebook.ts";
export * from "./render_index.ts";
export * from "./external_urls.ts";
export * from "./publish.ts";
export * from "./browser_check.ts";
