/**
 * The nested `augment.*` keys of the training config, declared once: rule, default, the value
 * under `augment: false`, and a one-line doc (see lib/config/config_schema.ts for why a typed
 * table).
 *
 * @module
 */
import { bool, int, nonNegativeOrFalse, oneOf, orFalse, rangeOrFalse } from "./field_rules.ts";
import { entry } from "./key_spec.ts";

/** Scales the brightness delta can be applied on. */
export const BRIGHTNESS_SCALES = ["0-255", "0-1"] as const;

/** The `augment` section: arcface-tf2's `modules/dataset.py` pipeline, every step switchable. */
export const AUGMENT_SCHEMA = Object.freeze({
  resize: entry(orFalse(int(1)), {
    default: 128,
    off: false,
    doc: "resize to this square side first (>= `input_size`); `false`: no resize",
  }),
  random_crop: entry(bool, {
    default: true,
    off: false,
    doc: "random `input_size` x `input_size` crop of the resized image",
  }),
  flip: entry(bool, { default: true, off: false, doc: "random horizontal flip" }),
  saturation: entry(rangeOrFalse, {
    default: [0.6, 1.4],
    off: false,
    doc: "random saturation factor range",
  }),
  brightness: entry(nonNegativeOrFalse("max brightness delta"), {
    default: 0.4,
    off: false,
    doc: "random brightness delta (at most this much)",
  }),
  brightness_scale: entry(oneOf(BRIGHTNESS_SCALES), {
    default: "0-255",
    off: "0-255",
    doc: "pixel scale the delta applies on: `0-255` (arcface-tf2: almost no effect) or `0-1`",
  }),
  clip: entry(bool, {
    default: true,
    off: false,
    doc: "clip pixels back into range after saturation/brightness",
  }),
});
