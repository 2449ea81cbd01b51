/**
 * `deno task doctor`: what this machine has for training (versions, backends, GPUs, CUDA
 * libraries, memory, disk, data, packages), each problem with its fix. The tensorflow part is
 * the tfjs-node diagnosis of lib/backend/tfjs_node/.
 *
 * @module
 */
export * from "./doctor_report.ts";
export * from "./doctor_table.ts";
export * from "./doctor_probes.ts";
export * from "./doctor_versions.ts";
export type { BackendProbeResult, BackendStatus, WebgpuAdapter } from "./backend_probe.ts";
export { isSoftwareAdapter, probeBackends } from "./backend_probe.ts";
export * from "./nvidia_smi.ts";
