/**
 * Bad-input rows of `deno task fix-tfjs-node` (see bad_input_rows.ts): fake tfjs-node installs
 * under the row's folder (tests/support/tfjs_node_layout.ts), passed as `--root`.
 *
 * @module
 */
import { join } from "node:path";
import { at, type BadInput, flagRows } from "./bad_input_kit.ts";
import { makeFakeTfjsNode } from "./tfjs_node_layout.ts";

const pkgDir = (dir: string) => join(dir, "node_modules", "@tensorflow", "tfjs-node-gpu");

/** The rows of fix-tfjs-node. */
export const BACKEND_ROWS: BadInput[] = [
  ...flagRows("fix_tfjs_node"),
  {
    id: "fix-tfjs-node-no-package",
    cli: "fix_tfjs_node",
    what: "no tfjs-node installed under --root",
    args: (c) => ["--root", c.dir],
    mentions: (c) => [join(c.dir, "node_modules"), "npm install @tensorflow/tfjs-node-gpu@4.22.0"],
  },
  {
    id: "fix-tfjs-node-no-binding",
    cli: "fix_tfjs_node",
    what: "tfjs-node-gpu installed with its install script skipped (no binding)",
    setup: async (c) => void await makeFakeTfjsNode(c.dir, { bindingIn: [] }),
    args: (c) => ["--root", c.dir],
    mentions: () => ["tfjs_binding.node", "install script did not run", "npm rebuild"],
  },
  {
    id: "fix-tfjs-node-misplaced",
    cli: "fix_tfjs_node",
    what: "binding in lib/napi-v6, loader looks in lib/napi-v8: copied, then what else is missing",
    setup: async (c) => void await makeFakeTfjsNode(c.dir, { bindingIn: ["lib/napi-v6"] }),
    args: (c) => ["--root", c.dir],
    mentions: (c) => [
      `copied ${join(pkgDir(c.dir), "lib", "napi-v6", "tfjs_binding.node")}`,
      join(pkgDir(c.dir), "lib", "napi-v8", "tfjs_binding.node"),
      "still missing",
    ],
    succeeds: true,
  },
  {
    id: "fix-tfjs-node-root-missing",
    cli: "fix_tfjs_node",
    what: "--root does not exist",
    args: (c) => ["--root", at(c, "nope")],
    mentions: (c) => [at(c, "nope")],
  },
];
