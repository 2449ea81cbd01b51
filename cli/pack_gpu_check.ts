/**
 * `deno task pack-gpu-check [--out dist/gpu_check.tar.gz] [--xz-level 6]`: one archive that runs
 * the GPU check on a bare Linux GPU machine (driver only, no network). Copy it there, then
 * `mkdir gc && tar -xzf gpu_check.tar.gz -C gc && sh gc/run_gpu_check.sh`.
 *
 * @module
 */
import { GPU_CHECK_BUDGET_BYTES, packGpuCheck, projectTreeBytes } from "../lib/gpu_check/mod.ts";
import { intOption, parseCliOrHelp, runCli } from "./cli_main.ts";

const USAGE = `usage: deno task pack-gpu-check [--out dist/gpu_check.tar.gz] [--xz-level 6]
  Packs deno (xz), lib/, cli/ and the node_modules files the check loads into one .tar.gz with
  run_gpu_check.sh; checks tree + archive against the 64 MiB budget (exit 1 when over).`;

await runCli("pack-gpu-check", USAGE, async (args) => {
  const { values } = parseCliOrHelp(args, {
    out: { type: "string", default: "dist/gpu_check.tar.gz" },
    "xz-level": { type: "string", default: "6" },
  });
  const xzLevel = intOption("xz-level", values["xz-level"], { min: 0, max: 9 })!;
  const root = Deno.cwd();
  const r = await packGpuCheck(root, { out: values.out, xzLevel });
  const tree = await projectTreeBytes(root);
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(
    `${r.archive}: ${mib(r.archiveBytes)} MiB (deno.xz ${
      mib(r.denoXzBytes)
    } MiB, ${r.files} files); ` +
      `tree ${mib(tree)} MiB; total ${mib(tree + r.archiveBytes)} of ${
        mib(GPU_CHECK_BUDGET_BYTES)
      } MiB`,
  );
  if (tree + r.archiveBytes > GPU_CHECK_BUDGET_BYTES) {
    throw new Error(`over the ${mib(GPU_CHECK_BUDGET_BYTES)} MiB budget`);
  }
  console.log(
    `run it there: mkdir gc && tar -xzf ${r.archive} -C gc && OUT=/some/dir sh gc/run_gpu_check.sh`,
  );
});
