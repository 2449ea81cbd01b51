/**
 * The PyTorch peer of `deno task bench` (CPU) and the GPU check (CUDA): runs torch_peer.py (the
 * same networks, head and optimiser) with the machine's python3 when it has torch, and reads its
 * JSON lines.
 *
 * @module
 */
import type { ThroughputResult } from "./throughput.ts";

/** The peer script's path. */
export const TORCH_PEER_SCRIPT = new URL("./torch_peer.py", import.meta.url).pathname;

/**
 * One peer measurement (ThroughputResult's shape plus torch's thread count; `error` when it
 * failed, e.g. out of memory). With `paramsOnly`, only `network` and `modelParams` are set.
 */
export type TorchPeerRow = Omit<ThroughputResult, "network"> & {
  network: string;
  threads?: number;
  error?: string;
};

/** What the peer did: its rows, or why it did not run. */
export type TorchPeerReport =
  | { available: false; why: string }
  | {
    available: true;
    device: string;
    /** The python that had torch. */
    python?: string;
    /** torch.__version__. */
    torch?: string;
    info: Record<string, unknown> | null;
    rows: TorchPeerRow[];
    failed?: string;
  };

/** Options of {@linkcode runTorchPeer}. */
export interface TorchPeerOptions {
  /**
   * python3 executable (default: "python3", then "/usr/bin/python3": a pyenv shim on PATH may
   * hide the Debian python3-torch).
   */
  python?: string;
  /** Peer script (default {@linkcode TORCH_PEER_SCRIPT}; tests pass a fake). */
  script?: string;
  networks?: string[];
  batches?: number[];
  inferBatch?: number;
  seconds?: number;
  warmup?: number;
  classes?: number;
  /** Run on the CPU even without CUDA (default false: no CUDA means no peer). */
  allowCpu?: boolean;
  /** Force a device ("cpu" for the CPU bench; default: cuda when available). */
  device?: "cuda" | "cpu";
  /** torch.set_num_threads values, one set of rows each (default: torch's own count). */
  threads?: number[];
  /** MobileFaceNet width / MobileNetV2 alpha (default 1). */
  width?: number;
  /** Decay on every weight (weight_decay_scope: all; default 0: L2 on the embedding kernel). */
  decayAll?: number;
  /** Which measurements (default both). */
  modes?: ("train" | "infer")[];
  /** Only count parameters (no timing): rows of `{network, modelParams}`. */
  paramsOnly?: boolean;
  onProgress?: (line: string) => void;
}

async function output(cmd: string, args: string[]) {
  try {
    const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
  } catch (e) {
    return e instanceof Deno.errors.NotFound ? null : { code: -1, stdout: "", stderr: String(e) };
  }
}

/** Finds the first python with torch; its version and whether it has CUDA, or why none. */
async function findTorch(
  pythons: string[],
): Promise<{ python: string; torch: string; cuda: boolean } | { why: string }> {
  const whys: string[] = [];
  for (const python of pythons) {
    const asked = await output(python, [
      "-c",
      "import json, torch; print(json.dumps({'torch': torch.__version__, 'cuda': torch.cuda.is_available()}))",
    ]);
    if (asked === null) {
      whys.push(`no ${python} on PATH`);
      continue;
    }
    if (asked.code !== 0) {
      const last = asked.stderr.trim().split("\n").pop() ?? "";
      whys.push(`no PyTorch in ${python} (${last})`);
      continue;
    }
    const o = JSON.parse(asked.stdout.trim().split("\n").pop()!) as {
      torch: string;
      cuda: boolean;
    };
    return { python, torch: o.torch, cuda: o.cuda };
  }
  return { why: whys.join("; ") };
}

/**
 * Runs the peer when `python -c "import torch"` works and (unless `allowCpu` or `device: "cpu"`)
 * CUDA is available; otherwise says why not ("no python3", "no PyTorch", "PyTorch without CUDA").
 */
export async function runTorchPeer(options: TorchPeerOptions = {}): Promise<TorchPeerReport> {
  const found = await findTorch(
    options.python ? [options.python] : ["python3", "/usr/bin/python3"],
  );
  if ("why" in found) return { available: false, why: found.why };
  const { python, cuda } = found;
  if (!cuda && !options.allowCpu && options.device !== "cpu") {
    return { available: false, why: `PyTorch in ${python} has no CUDA device` };
  }
  const device = options.device ?? (cuda ? "cuda" : "cpu");
  options.onProgress?.(`PyTorch peer (${python}, torch ${found.torch}) on ${device}...`);
  const args = [
    options.script ?? TORCH_PEER_SCRIPT,
    "--networks",
    (options.networks ?? ["MobileFaceNet", "ResNet50"]).join(","),
    "--batches",
    (options.batches ?? [64, 128]).join(","),
    "--infer-batch",
    String(options.inferBatch ?? 128),
    "--seconds",
    String(options.seconds ?? 10),
    "--warmup",
    String(options.warmup ?? 2),
    "--classes",
    String(options.classes ?? 1000),
    "--device",
    device,
  ];
  if (options.threads?.length) args.push("--threads", options.threads.join(","));
  if (options.width !== undefined) args.push("--width", String(options.width));
  if (options.decayAll) args.push("--decay-all", String(options.decayAll));
  if (options.modes) args.push("--modes", options.modes.join(","));
  if (options.paramsOnly) args.push("--params-only");
  const out = await output(python, args);
  const rows: TorchPeerRow[] = [];
  let info: Record<string, unknown> | null = null;
  for (const line of (out?.stdout ?? "").split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    // Python's json writes NaN (CPU peak memory) where JSON has none.
    const o = JSON.parse(line.replaceAll(": NaN", ": null")) as Record<string, unknown>;
    if ("network" in o) rows.push(o as unknown as TorchPeerRow);
    else if ("device" in o) info = o;
  }
  const failed = out && out.code === 0
    ? undefined
    : `the peer exited with code ${out?.code}: ${out?.stderr.trim().split("\n").pop() ?? ""}`;
  return {
    available: true,
    device,
    python,
    torch: found.torch,
    info,
    rows,
    ...(failed ? { failed } : {}),
  };
}
