/**
 * Rich outputs for the Deno Jupyter kernel: an object with a `Symbol.for("Jupyter.display")`
 * method is rendered by the kernel as the MIME bundle it returns (last expression of a cell, or
 * `Deno.jupyter.display(x)`). The report publisher renders the same bundles to HTML.
 *
 * @module
 */

/** A MIME bundle: MIME type -> data (a string, or JSON for `application/*+json`). */
export type MimeBundle = Record<string, unknown>;

/** The MIME type of plotly figures (`{data, layout}`), as in plotly's own Jupyter renderer. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Something the Deno kernel can display. */
export interface Displayable {
  /** The bundle the kernel publishes. */
  [key: symbol]: () => MimeBundle;
  /** The same bundle, for code that wants it directly. */
  readonly bundle: MimeBundle;
}

/** Wraps a MIME bundle so the Deno kernel displays it. */
export function displayable(bundle: MimeBundle): Displayable {
  return {
    bundle,
    [Symbol.for("Jupyter.display")]: () => bundle,
  };
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
