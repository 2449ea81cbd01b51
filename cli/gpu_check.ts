/**
 * `deno task gpu-check`: webgpu training steps (ArcHead, the trainer's own step) of MobileFaceNet
 * and ResNet50 at batch 64 and 128, and inference, img/s and memory, beside the PyTorch peer
 * (lib/bench/torch_peer.py) when python3 has torch with CUDA. Writes JSON.
 *
 * @module
 */
import { dirname } from "node:path";
import { intOption, numberOption, parseCliOrHelp, runCli, UsageError } from "./cli_main.ts";
import { BACKBONE_NAMES, type BackboneName } from "../lib/models/mod.ts";
import { renderGpuCheck, runGpuCheck } from "../lib/gpu_check/mod.ts";

const USAGE = `usage: deno task gpu-check [--quick] [--allow-software] [--backend webgpu]
         [--networks MobileFaceNet,ResNet50] [--batches 64,128] [--infer-batch 128]
         [--seconds 10] [--no-torch] [--json] [--out results/gpu_check/gpu_check.json]
  Training and inference img/s and memory on the GPU (webgpu), beside PyTorch when python3 has
  torch with CUDA. A software WebGPU adapter is refused unless --allow-software (which sets
  ARCFACE_WEBGPU_ALLOW_SOFTWARE=1): only to test the check itself.
  --quick   batch 2, no warm-up, one timed step, inference batch 2 (a smoke test)`;

await runCli("gpu-check", USAGE, async (args) => {
  const { values } = parseCliOrHelp(args, {
    quick: { type: "boolean", default: false },
    "allow-software": { type: "boolean", default: false },
    backend: { type: "string", default: "webgpu" },
    networks: { type: "string", default: "MobileFaceNet,ResNet50" },
    batches: { type: "string" },
    "infer-batch": { type: "string" },
    seconds: { type: "string" },
    "no-torch": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    out: { type: "string", default: "results/gpu_check/gpu_check.json" },
  });
  const networks = values.networks.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of networks) {
    if (!(BACKBONE_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(`unknown network '${n}'. Valid: ${BACKBONE_NAMES.join(", ")}.`);
    }
  }
  const q = values.quick;
  const batches = (values.batches ?? (q ? "2" : "64,128")).split(",").map((b) =>
    intOption("batches", b.trim(), { min: 1 })!
  );
  const inferBatch = intOption("infer-batch", values["infer-batch"] ?? (q ? "2" : "128"), {
    min: 1,
  })!;
  const seconds = numberOption("seconds", values.seconds ?? (q ? "0.001" : "10"), {
    min: 0,
    exclusiveMin: true,
  })!;
  const report = await runGpuCheck({
    backend: values.backend,
    allowSoftware: values["allow-software"],
    networks: networks as BackboneName[],
    batches,
    inferBatch,
    seconds,
    warmup: q ? 0 : 2,
    minSteps: q ? 1 : 3,
    torch: !values["no-torch"],
    onProgress: (line) => console.error(`  ${line}`),
  });
  await Deno.mkdir(dirname(values.out), { recursive: true });
  await Deno.writeTextFile(values.out, JSON.stringify(report, null, 2) + "\n");
  console.log(values.json ? JSON.stringify(report, null, 2) : renderGpuCheck(report));
  console.error(`written: ${values.out}`);
});
