/**
 * A tiny synthetic training set and config for the trainer's integration tests: 6 identities x
 * 4 random 36x36 PNG images (no shared data needed), converted to a TFRecord.
 */
import { join } from "node:path";
import sharp from "sharp";
import { stringify } from "yaml";
import { convertImages } from "../../lib/data/convert/mod.ts";
import { mulberry32 } from "../../lib/random/seeded_rng.ts";

/** Identities and images per identity of the fixture. */
export const FIXTURE_CLASSES = 6, FIXTURE_PER_CLASS = 4;

/** Writes the image tree and its TFRecord under `dir`; returns the TFRecord path. */
export async function makeTinyDataset(dir: string): Promise<string> {
  const rnd = mulberry32(12345);
  for (let c = 0; c < FIXTURE_CLASSES; c++) {
    const idDir = join(dir, "faces", `person_${c}`);
    await Deno.mkdir(idDir, { recursive: true });
    for (let i = 0; i < FIXTURE_PER_CLASS; i++) {
      // Each identity has its own mean colour, so the classes are learnable.
      const px = Uint8Array.from(
        { length: 36 * 36 * 3 },
        (_, k) => Math.min(255, Math.floor(((c * 40 + (k % 3) * 60) % 256) * 0.7 + rnd() * 76)),
      );
      await sharp(px, { raw: { width: 36, height: 36, channels: 3 } }).png().toFile(
        join(idDir, `img_${i}.png`),
      );
    }
  }
  const out = join(dir, "tiny.tfrecord");
  await convertImages(join(dir, "faces"), out, { seed: 1 });
  return out;
}

/** The tiny config as a plain object (MobileFaceNet x0.25 at 32 px, batch 8). */
export function tinyConfig(
  dir: string,
  dataset: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    sub_name: "tiny",
    train_dataset: dataset,
    num_classes: FIXTURE_CLASSES,
    num_samples: FIXTURE_CLASSES * FIXTURE_PER_CLASS,
    backbone_type: "MobileFaceNet",
    width: 0.25,
    embd_shape: 16,
    input_size: 32,
    batch_size: 8,
    micro_batch_size: 4,
    base_lr: 0.05,
    logit_scale: 16,
    augment: { resize: false, random_crop: true, saturation: false, brightness: false },
    epochs: 10,
    max_steps: 6,
    save_steps: 2,
    log_steps: 1,
    results_dir: join(dir, "results"),
    test_dataset: null,
    backend: "wasm",
    ...extra,
  };
}

/** Writes a config object as YAML; returns the path. */
export async function writeConfig(path: string, config: Record<string, unknown>): Promise<string> {
  await Deno.writeTextFile(path, stringify(config));
  return path;
}
