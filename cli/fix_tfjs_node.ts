/**
 * `deno task fix-tfjs-node`: puts tfjs-node(-gpu)'s native binding where its loader looks under
 * this runtime (tfjs#8581), then says what else is still missing (libtensorflow, CUDA 11
 * libraries, driver) with the command that fixes each.
 *
 * Usage: deno task fix-tfjs-node [--dry-run] [--root DIR]
 *
 * @module
 */
import { parseCliOrHelp, runCli } from "./cli_main.ts";
import { diagnoseTfjsNode, fixTfjsNodeBinding } from "../lib/backend/tfjs_node/mod.ts";

const USAGE = `Usage: deno task fix-tfjs-node [--dry-run] [--root DIR]

  Copies tfjs_binding.node, which the @tensorflow/tfjs-node(-gpu) install left in one
  lib/napi-v* folder (or build/Release), into the lib/napi-v* folder the loader picks under
  this runtime (tfjs#8581); does nothing when it is already there. Then lists what else is
  missing (libtensorflow, CUDA 11 / cuDNN 8 libraries, NVIDIA driver) and how to fix it.

  --dry-run  only say what would be copied
  --root     folder holding node_modules (default: the repository root)
See README.md, "Training on a GPU".`;

await runCli("fix-tfjs-node", USAGE, async (args) => {
  const { values } = parseCliOrHelp(args, {
    "dry-run": { type: "boolean", default: false },
    root: { type: "string" },
  });
  const root = values.root as string | undefined;
  const result = await fixTfjsNodeBinding({ root, dryRun: values["dry-run"] as boolean });
  console.log(`fix-tfjs-node: ${result.message}`);
  const left = (await diagnoseTfjsNode({ root })).problems
    .filter((p) => !(values["dry-run"] && p.kind === "binding-misplaced"));
  if (left.length === 0) {
    console.log("fix-tfjs-node: nothing else is missing that can be seen before the import");
    return;
  }
  console.log("fix-tfjs-node: still missing:");
  for (const p of left) console.log(`  - ${p.what}\n    fix: ${p.fix}`);
});
