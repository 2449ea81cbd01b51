/**
 * A static check that a page refers to nothing outside itself (no CDN, fonts, stylesheets or
 * images by URL). The browser check (`tests/browser/`) is the dynamic one.
 *
 * @module
 */

/** One external reference found in a page. */
export interface ExternalReference {
  /** The pattern that matched (e.g. `src="http`). */
  pattern: string;
  /** Offset in the page. */
  index: number;
  /** The text around it. */
  excerpt: string;
}

const PATTERNS: readonly RegExp[] = [
  /\bsrc\s*=\s*["']?\s*(?:https?:)?\/\//gi,
  /\bhref\s*=\s*["']?\s*(?:https?:)?\/\//gi,
  /@import\b/gi,
  /\burl\(\s*["']?\s*(?:https?:)?\/\//gi,
];

/**
 * The inlined plotly.js bundle (`<script id="plotly-js">`) is skipped: it is vendored code whose
 * only link (the plotly logo in the mode bar) is never created with `displaylogo: false`.
 */
function maskVendoredScript(html: string): string {
  return html.replace(
    /(<script id="plotly-js">)([\s\S]*?)(<\/script>)/,
    (_m, open: string, body: string, close: string) => open + " ".repeat(body.length) + close,
  );
}

/**
 * Finds references to external URLs in a page: `src=`/`href=` to `http(s)://` or `//`,
 * `@import` and `url(http...)`. An empty list means the page is self-contained.
 */
export function findExternalUrls(html: string): ExternalReference[] {
  const text = maskVendoredScript(html);
  const found: ExternalReference[] = [];
  for (const re of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const i = m.index ?? 0;
      found.push({
        pattern: m[0],
        index: i,
        excerpt: html.slice(Math.max(0, i - 40), i + 80).replace(/\s+/g, " "),
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
