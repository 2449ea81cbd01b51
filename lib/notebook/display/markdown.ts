/**
 * Markdown outputs: text a cell writes from numbers (explanations, interpretations), shown by
 * Jupyter and the report publisher as rendered markdown.
 *
 * @module
 */
import { type Displayable, displayable } from "./displayable.ts";

/** A `text/markdown` output (with the same text as its plain fallback). */
export function markdownOutput(text: string): Displayable {
  return displayable({ "text/markdown": text, "text/plain": text });
}
