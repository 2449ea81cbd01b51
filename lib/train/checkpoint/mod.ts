/**
 * Framework-light training checkpoints: `<root>/step_<8-digit step>/` folders of float32
 * arrays (`weights.bin` + `manifest.json`), trainer state (`state.json`) and the resolved config
 * (`config.yaml`), written atomically, with `<root>/latest` naming the newest good one; plus a
 * TF.js adapter for model weights and optimiser slots (`tf_state.ts`).
 *
 * @module
 */
export * from "./format.ts";
export * from "./read_checkpoint.ts";
export * from "./write_checkpoint.ts";
export * from "./tf_state.ts";
