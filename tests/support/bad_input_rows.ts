/**
 * The bad-input table: command lines a new user may well type, each with the files it needs
 * (made on the fly under a temp folder: random bytes, truncated copies of LFW images, tiny
 * TFRecords, configs with one thing wrong). Each row says what a clear error must mention (the
 * offending path, flag or key). Run by tests/support/bad_inputs.ts and tests/cli_bad_input_test.ts.
 *
 * @module
 */
import type { BadInput } from "./bad_input_kit.ts";
import { ALIGN_ROWS } from "./bad_input_rows_align.ts";
import { BACKEND_ROWS } from "./bad_input_rows_backend.ts";
import { DATA_ROWS } from "./bad_input_rows_data.ts";
import { NOTEBOOK_ROWS } from "./bad_input_rows_notebook.ts";
import { RUN_ROWS } from "./bad_input_rows_run.ts";

export type { BadInput, BadInputContext } from "./bad_input_kit.ts";

/** Every row, in table order. */
export const BAD_INPUTS: BadInput[] = [
  ...DATA_ROWS,
  ...ALIGN_ROWS,
  ...RUN_ROWS,
  ...NOTEBOOK_ROWS,
  ...BACKEND_ROWS,
];
