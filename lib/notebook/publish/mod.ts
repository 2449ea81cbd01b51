/**
 * Publishing executed notebooks as self-contained HTML reports (plotly.js inlined once per page,
 * images as data URLs, no network access) with an index page, and checking them in headless
 * Chromium: {@linkcode publishReports}, {@linkcode checkReportsInBrowser}. The renderers behind
 * them (notebook model, outputs, pages) are internal.
 *
 * @module
 */
export {
  type PublishOptions,
  publishReports,
  type PublishResult,
  ReportPublishError,
} from "./publish.ts";
export {
  BrowserCheckError,
  type BrowserCheckOptions,
  type BrowserCheckResult,
  checkReportsInBrowser,
  CHROMIUM_PATH,
  chromiumAvailable,
} from "./browser_check.ts";
export { type Screenshot, type ScreenshotOptions, screenshotReports } from "./screenshot.ts";
export { type ExternalReference, findExternalUrls } from "./external_urls.ts";
export { NotebookFormatError } from "./notebook_model.ts";
export { ReportRenderError } from "./render_notebook.ts";
