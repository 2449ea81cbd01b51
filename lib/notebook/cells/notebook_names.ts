/**
 * The narrative notebooks (`notebooks/<name>.ipynb`), in the research log's order: section 0,
 * section 1, section 2. Declared once: `deno task reproduce --only` takes these names, and a
 * profile's `requires` entries say which of them need a file.
 *
 * @module
 */

/** The notebook names, in the order `deno task reproduce` runs them. */
export const NOTEBOOK_NAMES = ["0_baseline", "1_reproduce", "2_kface"] as const;

/** One notebook's name. */
export type NotebookName = typeof NOTEBOOK_NAMES[number];
