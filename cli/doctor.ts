/**
 * `deno task doctor [--json] [--strict]`: the first command on a new machine. Reports Deno and
 * TF.js versions, every backend (available / why not), the WebGPU adapters, NVIDIA GPUs, the
 * CUDA / cuDNN libraries libtensorflow 2.9.1 needs, cores, memory, free disk under results/,
 * the data of each profile and the Debian packages the tests use; then each problem with the
 * command that fixes it. Exit 0 even with problems (it is a report; `--strict`: exit 1 when
 * there are any), exit 1 when the doctor itself fails.
 *
 * @module
 */
import {
  doctorReport,
  doctorSummary,
  realDoctorProbes,
  renderDoctorTable,
} from "../lib/doctor/mod.ts";
import { parseCliOrHelp, runCli } from "./cli_main.ts";

const USAGE = `usage: deno task doctor [--json] [--strict]
  What this machine has for training: versions, backends, WebGPU adapters, NVIDIA GPUs,
  CUDA / cuDNN libraries, cores, memory, free disk, data of each profile, Debian packages;
  every problem with the command that fixes it.
  --json     print the report as JSON (for scripts) instead of tables
  --strict   exit 1 when there is any problem (default: exit 0, it is a report)`;

await runCli("doctor", USAGE, async (args) => {
  const { values } = parseCliOrHelp(args, {
    json: { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
  });
  const report = await doctorReport(realDoctorProbes());
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(renderDoctorTable(report));
  if (values.strict && report.problems.length > 0) {
    if (values.json) console.error(doctorSummary(report));
    Deno.exit(1);
  }
});
