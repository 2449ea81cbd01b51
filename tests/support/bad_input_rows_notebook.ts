/**
 * Bad-input rows of reproduce, publish and notebook (see bad_input_rows.ts).
 *
 * @module
 */
import { join } from "node:path";
import { at, type BadInput, flagRows, none, randomFile } from "./bad_input_kit.ts";

/** The rows of reproduce, publish and notebook. */
export const NOTEBOOK_ROWS: BadInput[] = [
  // ---- reproduce
  ...flagRows("reproduce"),
  {
    id: "reproduce-profile",
    cli: "reproduce",
    what: "--profile huge",
    args: () => ["--profile", "huge"],
    mentions: () => ["huge"],
  },
  {
    id: "reproduce-only",
    cli: "reproduce",
    what: "--only 3_extra",
    args: () => ["--only", "3_extra"],
    mentions: () => ["3_extra"],
  },
  {
    id: "reproduce-timeout",
    cli: "reproduce",
    what: "--timeout-min x",
    args: () => ["--timeout-min", "x"],
    mentions: () => ["--timeout-min"],
  },
  {
    id: "reproduce-positional",
    cli: "reproduce",
    what: "stray positional argument",
    args: () => ["tiny"],
    mentions: () => ["tiny"],
  },
  // ---- publish
  ...flagRows("publish_reports", ["x.ipynb"]),
  {
    id: "publish-no-args",
    cli: "publish_reports",
    what: "no notebooks",
    args: none,
    mentions: () => ["notebooks"],
  },
  {
    id: "publish-title",
    cli: "publish_reports",
    what: "--title without =",
    args: (c) => [at(c, "x.ipynb"), "--title", "Report"],
    mentions: () => ["--title"],
  },
  {
    id: "publish-missing",
    cli: "publish_reports",
    what: "notebook does not exist",
    args: (c) => [at(c, "x.ipynb"), "--out", at(c, "r")],
    mentions: (c) => [at(c, "x.ipynb")],
  },
  {
    id: "publish-random",
    cli: "publish_reports",
    what: "notebook is random bytes",
    setup: (c) => randomFile(at(c, "x.ipynb")),
    args: (c) => [at(c, "x.ipynb"), "--out", at(c, "r")],
    mentions: (c) => [at(c, "x.ipynb")],
  },
  {
    id: "publish-not-notebook",
    cli: "publish_reports",
    what: "JSON that is not a notebook",
    setup: (c) => Deno.writeTextFile(at(c, "x.ipynb"), '{"a":1}'),
    args: (c) => [at(c, "x.ipynb"), "--out", at(c, "r")],
    mentions: (c) => [at(c, "x.ipynb")],
  },
  {
    id: "publish-out-is-file",
    cli: "publish_reports",
    what: "--out is a file",
    setup: async (c) => {
      await Deno.copyFile(join(c.repo, "notebooks", "0_baseline.ipynb"), at(c, "x.ipynb"));
      await randomFile(at(c, "r"), 10);
    },
    args: (c) => [at(c, "x.ipynb"), "--out", at(c, "r")],
    mentions: (c) => [at(c, "r")],
  },
  // ---- notebook
  ...flagRows("run_notebook", ["x.ipynb"]),
  {
    id: "notebook-no-args",
    cli: "run_notebook",
    what: "no notebook",
    args: none,
    mentions: () => ["notebook"],
  },
  {
    id: "notebook-two-args",
    cli: "run_notebook",
    what: "two notebooks",
    args: () => ["a.ipynb", "b.ipynb"],
    mentions: () => ["one notebook"],
  },
  {
    id: "notebook-env",
    cli: "run_notebook",
    what: "--env without =",
    args: () => ["x.ipynb", "--env", "PROFILE"],
    mentions: () => ["PROFILE"],
  },
  {
    id: "notebook-timeout",
    cli: "run_notebook",
    what: "--timeout 0",
    args: () => ["x.ipynb", "--timeout", "0"],
    mentions: () => ["--timeout"],
  },
  {
    id: "notebook-missing",
    cli: "run_notebook",
    what: "notebook does not exist",
    args: (c) => [at(c, "x.ipynb")],
    mentions: (c) => [at(c, "x.ipynb")],
  },
  {
    id: "notebook-random",
    cli: "run_notebook",
    what: "notebook is random bytes",
    setup: (c) => randomFile(at(c, "x.ipynb")),
    args: (c) => [at(c, "x.ipynb")],
    mentions: (c) => [at(c, "x.ipynb")],
  },
];
