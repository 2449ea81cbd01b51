/**
 * The GPU check (issue 12 item 4): webgpu training / inference throughput beside a PyTorch peer,
 * and the packer that makes it run on a bare GPU machine without network.
 *
 * @module
 */
export * from "./gpu_check.ts";
export * from "./gpu_check_table.ts";
export * from "./pack.ts";
